/**
 * COPY text written straight as UTF-8 bytes, cut into pieces of about `pieceSize` bytes at line
 * ends (ADR 0061). Each piece is a Uint8Array over an ArrayBuffer of its own, so a rebuild's share
 * thread can transfer it to the rebuild rather than have it copied, and nothing is built as a
 * JavaScript string first: a rebuild's cells and buckets were ~740 MB of strings made by
 * concatenation, flattened and copied again by `postMessage`, then encoded again for the socket.
 */
export class CopyWriter {
  private buffer: Uint8Array;
  private at = 0;
  private readonly full: Uint8Array[] = [];
  private static readonly encoder = new TextEncoder();

  constructor(private readonly pieceSize = 256 * 1024) {
    this.buffer = new Uint8Array(pieceSize + 8 * 1024);
  }

  /** A string's UTF-8 bytes, once (for strings written on many lines). */
  static bytesOf(text: string): Uint8Array {
    return CopyWriter.encoder.encode(text);
  }

  /** Bytes made once with `bytesOf`. */
  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** A string as UTF-8 (already in COPY's format: escaped where it needs to be). */
  text(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    this.room(text.length * 3);
    this.at += CopyWriter.encoder.encodeInto(text, this.buffer.subarray(this.at)).written;
  }

  /** One ASCII character, by its code. */
  char(code: number): void {
    this.room(1);
    this.buffer[this.at++] = code;
  }

  /** A number as PostgreSQL reads it; integers (every count and sum here) digit by digit, without a string. */
  number(value: number): void {
    if (!Number.isSafeInteger(value)) return this.text(String(value));
    this.room(17);
    let v = value;
    if (v < 0) {
      this.buffer[this.at++] = 45; // '-'
      v = -v;
    }
    const start = this.at;
    do {
      this.buffer[this.at++] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
    this.buffer.subarray(start, this.at).reverse();
  }

  /** Ends a line; a piece that has reached its size is cut here. */
  endLine(): void {
    this.char(10);
    if (this.at >= this.pieceSize) this.cut();
  }

  /** Whether a whole piece waits to be taken. */
  get ready(): boolean {
    return this.full.length > 0;
  }

  /** The pieces cut so far, handed over. */
  take(): Uint8Array[] {
    return this.full.splice(0);
  }

  /** The lines written since the last cut, as a last piece (undefined when there are none). */
  finish(): Uint8Array | undefined {
    if (!this.at) return undefined;
    this.cut();
    return this.full.pop();
  }

  private cut(): void {
    this.full.push(this.buffer.subarray(0, this.at));
    this.buffer = new Uint8Array(Math.max(this.pieceSize + 8 * 1024, this.buffer.length));
    this.at = 0;
  }

  /** At least `n` more bytes in the buffer; a line longer than a piece (a fact of many events) grows it. */
  private room(n: number): void {
    if (this.at + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.at + n));
    grown.set(this.buffer.subarray(0, this.at));
    this.buffer = grown;
  }
}

/** Writes rows into a CopyWriter, pausing whenever a piece is ready (`cellLines`, `bucketLines`). */
export type LineSource = (out: CopyWriter) => Iterator<void>;

/**
 * The pieces a line source writes, as they are cut, the last one included (COPY takes them as they
 * come); with `rows`, its lines are counted (a raw line break only ends a line: COPY escapes those in values).
 */
export function* piecesOf(source: LineSource, rows?: { n: number }, out = new CopyWriter()): Generator<Uint8Array> {
  const lines = source(out);
  for (let ended = false; !ended;) {
    ended = lines.next().done === true;
    const pieces = out.take();
    const last = ended ? out.finish() : undefined;
    if (last) pieces.push(last);
    for (const piece of pieces) {
      if (rows) for (const byte of piece) if (byte === 10) rows.n += 1;
      yield piece;
    }
  }
}
