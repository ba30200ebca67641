import { type Actor } from '@medcollab/kit';
import { processNextRosterImport } from '../../src/roster/processor';
import { type NetworkHarness, ok } from './harness';

export const START_IMPORT = `mutation($input: StartRosterImportInput!) {
  startRosterImport(input: $input) { uploadUrl uploadPath expiresAt requiredFiles import { id status } }
}`;
export const ROSTER_IMPORT = `query($id: ID!) {
  rosterImport(id: $id) {
    id status progress issueCount error
    counts { rows created updated unchanged deactivated reactivated failed }
    issues(first: 1000) { file line column message }
  }
}`;

/** Posts files as multipart/form-data to the upload path, like `curl -F users.csv=@users.csv`. */
export async function upload(h: NetworkHarness, uploadPath: string, files: Record<string, string>): Promise<Response> {
  const form = new FormData();
  for (const [name, text] of Object.entries(files)) if (text !== undefined) form.append(name, new Blob([text], { type: 'text/csv' }), name);
  return fetch(new URL(uploadPath, h.url).toString(), { method: 'POST', body: form });
}

export interface ImportResult {
  id: string;
  status: string;
  issueCount: number;
  error: string | null;
  counts: Record<string, number>;
  issues: { file: string; line: number | null; column: string | null; message: string }[];
}

/** Starts an import, uploads the files, lets the worker's loop take it, and returns the import as the API shows it. */
export async function runImport(
  h: NetworkHarness,
  actor: Actor,
  input: { institutionId: string; format: string; syncMode: string; applyMode: string },
  files: Record<string, string>,
): Promise<ImportResult> {
  const { startRosterImport: link } = ok(await h.call(actor, START_IMPORT, { input }));
  const response = await upload(h, link.uploadPath, files);
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  while (await processNextRosterImport(h.dataSource));
  return ok(await h.call(actor, ROSTER_IMPORT, { id: link.import.id })).rosterImport as ImportResult;
}

/** CSV text from rows (first row: header); quotes values that need it. */
export const csv = (rows: (string | number)[][]): string =>
  rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\n') + '\n';

export const manifest = (users: 'bulk' | 'delta', extra: Record<string, string> = {}) =>
  csv([
    ['propertyName', 'value'],
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.2'],
    ['file.orgs', users],
    ['file.users', users],
    ['file.enrollments', extra.enrollments ?? 'absent'],
    ['file.academicSessions', extra.academicSessions ?? 'absent'],
    ['source.systemName', 'Test SIS'],
  ]);

export const USER_HEADER = [
  'sourcedId',
  'status',
  'enabledUser',
  'orgSourcedIds',
  'role',
  'username',
  'givenName',
  'familyName',
  'email',
  'metadata.cohortYear',
];
