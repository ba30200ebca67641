/**
 * A subgraph's answer handed to the client as the bytes it came in (ADR 0059). On the
 * single-fetch path (ADR 0039) the gateway returns a subgraph's `data` unchanged, yet it parsed the
 * subgraph's JSON only for Apollo Server to serialize the same value again; for a page of 50 rows
 * that parse and re-serialization were the largest pieces of work left that depend on the answer's size.
 *
 * An answer is only kept as bytes when it carries nothing the gateway must act on. Every
 * subgraph is an Apollo Server, which writes `JSON.stringify({ errors, data, extensions }) + '\n'`
 * (keys in that order, undefined ones left out, no whitespace): a body that starts with
 * `{"data":{`, ends with `}` and a newline and has no `"errors"` or `"extensions"` token anywhere
 * is exactly `{"data":<an object>}` — no error to mask, no extension to drop. Any other body
 * (errors, extensions, `data: null`, another serializer, those words as a key or a value inside
 * the data) is parsed as before. Inside a JSON string every `"` is escaped, so the two tokens
 * with their quotes can only be keys or whole string values.
 */
export class RawData {
  /** The subgraph's whole body, `{"data":{…}}\n`. */
  readonly body: string;

  constructor(body: string) {
    this.body = body;
  }

  /** Anything that serializes the result the ordinary way (a plugin, a log) sees the real value. */
  toJSON(): unknown {
    return (JSON.parse(this.body) as { data: unknown }).data;
  }
}

const PREFIX = '{"data":{';
/**
 * Either key, anywhere. One regular expression: irregexp scans a 36 kB answer for it in ~9 µs,
 * where two `includes` took ~54 µs (they stop at every `"` of the JSON).
 */
const ERRORS_OR_EXTENSIONS = /"e(?:rrors|xtensions)"/;

/** The body as raw data, or undefined when it must be parsed (see {@link RawData}). */
export function rawDataOf(body: string): RawData | undefined {
  if (!body.startsWith(PREFIX) || !body.endsWith('}\n')) return undefined;
  if (ERRORS_OR_EXTENSIONS.test(body)) return undefined;
  return new RawData(body);
}

/**
 * Apollo Server's `stringifyResult`: the subgraph's bytes when the result is nothing but raw data
 * (which is then exactly what `JSON.stringify` would have written), else Apollo's own
 * serialization (`JSON.stringify(result) + '\n'`), where a RawData anywhere serializes as its value.
 */
export function stringifyResult(result: { errors?: unknown; data?: unknown; extensions?: unknown }): string {
  if (result.data instanceof RawData && result.errors === undefined && result.extensions === undefined) return result.data.body;
  return JSON.stringify(result) + '\n';
}
