import busboy from 'busboy';
import { type Logger } from '@medcollab/kit';
import { type Express, type Request } from 'express';
import { type DataSource } from 'typeorm';
import { acceptUpload, checkUploadToken, findRosterImport } from './imports';
import { ROSTER_FILES } from './model';

/** Largest file accepted: a 20,000-person users.csv is about 3 MB. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/**
 * `POST /roster-imports/<id>/files?token=<token>`, a plain multipart/form-data upload (one part
 * per file, named by its file name, e.g. users.csv), served by the network service itself:
 * the short-lived link from startRosterImport is the credential, so the route is not behind
 * the gateway. Unknown, expired or wrong tokens all answer the same 404.
 */
export function mountRosterUploadRoute(app: Express, deps: { dataSource: DataSource; log: Logger }): void {
  app.post('/roster-imports/:id/files', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const notFound = () => res.status(404).type('text/plain').send('Not found');
    const id = req.params.id;
    if (!token || !/^[0-9a-f-]{36}$/.test(id)) return void notFound();
    const row = await findRosterImport(deps.dataSource, id).catch(() => null);
    if (!row) return void notFound();
    // The token first: nobody without the link makes the service read a body.
    const usable = await checkUploadToken(deps.dataSource, id, token, new Date());
    if (usable === 'unknown') return void notFound();
    if (usable === 'used') return void res.status(409).json({ error: 'this upload link was already used' });
    const allowed = ROSTER_FILES[row.format];
    let files: Map<string, string>;
    try {
      files = await readMultipart(req, [...allowed.required, ...allowed.optional]);
    } catch (error) {
      return void res.status(400).json({ error: error instanceof Error ? error.message : String(error) });
    }
    const missing = allowed.required.filter((f) => !files.has(f));
    if (missing.length) return void res.status(400).json({ error: `missing required files: ${missing.join(', ')}` });
    try {
      const outcome = await acceptUpload(deps.dataSource, id, token, files, new Date());
      if (outcome === 'unknown') return void notFound();
      if (outcome === 'used') return void res.status(409).json({ error: 'this upload link was already used' });
      res.status(202).json({ importId: id, status: 'QUEUED', files: [...files.keys()].sort() });
    } catch (error) {
      deps.log.error({ err: error, importId: id }, 'roster upload failed');
      res.status(503).json({ error: 'upload could not be stored; try again' });
    }
  });
}

/** The parts of a multipart body as text, by file name; refuses other names, duplicates and oversized files. */
function readMultipart(req: Request, allowedNames: readonly string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_FILE_BYTES, files: allowedNames.length, fields: 0 } });
    } catch {
      reject(new Error('expected a multipart/form-data body'));
      return;
    }
    const files = new Map<string, string>();
    const pending: Promise<void>[] = [];
    let failure: Error | null = null;
    parser.on('file', (field, stream, info) => {
      const name = info.filename || field;
      if (!allowedNames.includes(name) || files.has(name)) {
        failure ??= new Error(`unexpected file "${name}" (expected ${allowedNames.join(', ')}, each once)`);
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      pending.push(
        new Promise((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('limit', () => (failure ??= new Error(`${name} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`)));
          stream.on('close', () => {
            files.set(name, Buffer.concat(chunks).toString('utf8'));
            done();
          });
        }),
      );
    });
    parser.on('filesLimit', () => (failure ??= new Error('too many files')));
    parser.on('error', (error: Error) => reject(error));
    parser.on('close', () => {
      void Promise.all(pending).then(() => (failure ? reject(failure) : resolve(files)));
    });
    req.pipe(parser);
  });
}
