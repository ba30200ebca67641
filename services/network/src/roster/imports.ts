import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RosterImportQueued } from '@medcollab/events';
import { type Actor, type Role } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { outbox } from '../outbox';
import {
  type RosterApplyMode,
  type RosterCounts,
  type RosterFormat,
  type RosterImportStatus,
  type RosterIssue,
  type RosterSyncMode,
} from './model';

/** How long an upload link works. */
export const UPLOAD_LINK_TTL_MS = 15 * 60 * 1000;
/** The report keeps this many issues; `issueCount` tells how many there were. */
export const MAX_STORED_ISSUES = 1000;

export interface RosterImportRow {
  id: string;
  institutionId: string;
  format: RosterFormat;
  syncMode: RosterSyncMode;
  applyMode: RosterApplyMode;
  status: RosterImportStatus;
  requestedBy: string;
  /** The requester's roles when they started the import: the audit trail's actor (ADR 0023). */
  requestedRoles: Role[];
  progress: number;
  counts: RosterCounts | null;
  issues: RosterIssue[];
  issueCount: number;
  error: string | null;
  uploadExpiresAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
}

export const IMPORT_COLUMNS = `id, institution_id AS "institutionId", format, sync_mode AS "syncMode", apply_mode AS "applyMode", status,
  requested_by AS "requestedBy", requested_roles AS "requestedRoles", progress, counts, issues, issue_count AS "issueCount", error, upload_expires_at AS "uploadExpiresAt",
  created_at AS "createdAt", finished_at AS "finishedAt"`;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new import awaiting its files, with the one-time token of its upload link. */
export async function createRosterImport(
  em: EntityManager,
  input: { institutionId: string; format: RosterFormat; syncMode: RosterSyncMode; applyMode: RosterApplyMode },
  requestedBy: Actor,
  now: Date,
): Promise<{ row: RosterImportRow; token: string }> {
  const id = randomUUID();
  const token = randomBytes(32).toString('base64url');
  await em.query(
    `INSERT INTO roster_import (id, institution_id, format, sync_mode, apply_mode, requested_by, requested_roles, upload_token_hash, upload_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      input.institutionId,
      input.format,
      input.syncMode,
      input.applyMode,
      requestedBy.personId,
      requestedBy.roles,
      hashToken(token),
      new Date(now.getTime() + UPLOAD_LINK_TTL_MS),
    ],
  );
  return { row: (await findRosterImport(em, id)) as RosterImportRow, token };
}

export async function findRosterImport(ds: DataSource | EntityManager, id: string): Promise<RosterImportRow | null> {
  const [row] = (await ds.query(`SELECT ${IMPORT_COLUMNS} FROM roster_import WHERE id = $1`, [id])) as RosterImportRow[];
  return row ?? null;
}

/** Whether the link is usable now: checked before the body is read, and again under a lock when storing. */
export async function checkUploadToken(ds: DataSource, id: string, token: string, now: Date): Promise<'ok' | 'unknown' | 'used'> {
  const [row] = (await ds.query(`SELECT status, upload_token_hash, upload_expires_at FROM roster_import WHERE id = $1`, [id])) as {
    status: string;
    upload_token_hash: string | null;
    upload_expires_at: Date;
  }[];
  if (row && row.upload_token_hash === null && row.status !== 'AWAITING_UPLOAD') return 'used';
  if (!row || row.upload_token_hash !== hashToken(token) || row.upload_expires_at < now) return 'unknown';
  return 'ok';
}

/**
 * Stores the uploaded files and queues the import, if the token is this import's, unused and
 * not expired. Queuing is a RosterImportQueued event in the same transaction (ADR 0026): the
 * relay turns it into the worker's BullMQ job, so no Redis call sits in the upload request and
 * the job exists if and only if the row says QUEUED. Returns why not otherwise (all of which the route answers with the same 404,
 * except a second upload, which is a 409).
 */
export async function acceptUpload(
  ds: DataSource,
  id: string,
  token: string,
  files: ReadonlyMap<string, string>,
  now: Date,
): Promise<'accepted' | 'unknown' | 'used'> {
  return ds.transaction(async (em) => {
    const [row] = (await em.query(`SELECT status, upload_token_hash, upload_expires_at FROM roster_import WHERE id = $1 FOR UPDATE`, [
      id,
    ])) as { status: string; upload_token_hash: string | null; upload_expires_at: Date }[];
    if (!row || !row.upload_token_hash || row.upload_token_hash !== hashToken(token) || row.upload_expires_at < now) {
      return row && row.upload_token_hash === null && row.status !== 'AWAITING_UPLOAD' ? 'used' : 'unknown';
    }
    for (const [name, content] of files)
      await em.query(`INSERT INTO roster_import_file (import_id, name, content) VALUES ($1, $2, $3)`, [id, name, content]);
    const [queued] = (await em.query(
      `UPDATE roster_import SET status = 'QUEUED', upload_token_hash = NULL, uploaded_at = now() WHERE id = $1 RETURNING institution_id, requested_by`,
      [id],
    )) as [{ institution_id: string; requested_by: string }[], number];
    const { institution_id: institutionId, requested_by: actorId } = queued[0]!;
    // Published before the relay's backlog: after a 20,000-person import it holds 100,000 deliveries.
    await outbox.append(em, RosterImportQueued, id, { importId: id, institutionId }, { actorId, publishFirst: true });
    return 'accepted';
  });
}

export async function loadFiles(ds: DataSource, id: string): Promise<Map<string, string>> {
  const rows: { name: string; content: string }[] = await ds.query(`SELECT name, content FROM roster_import_file WHERE import_id = $1`, [
    id,
  ]);
  return new Map(rows.map((r) => [r.name, r.content]));
}

export async function setProgress(ds: DataSource, id: string, status: RosterImportStatus, progress: number): Promise<void> {
  await ds.query(`UPDATE roster_import SET status = $2, progress = $3, heartbeat_at = now() WHERE id = $1`, [id, status, progress]);
}

export async function finishImport(
  ds: DataSource | EntityManager,
  id: string,
  result: { status: RosterImportStatus; counts: RosterCounts; issues: RosterIssue[]; error?: string | null },
): Promise<void> {
  await ds.query(
    `UPDATE roster_import SET status = $2, progress = 1, counts = $3, issues = $4, issue_count = $5, error = $6, finished_at = now() WHERE id = $1`,
    [
      id,
      result.status,
      JSON.stringify(result.counts),
      JSON.stringify(result.issues.slice(0, MAX_STORED_ISSUES)),
      result.issues.length,
      result.error ?? null,
    ],
  );
}
