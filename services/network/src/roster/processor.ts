import { type Logger } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { findRosterImport, finishImport, loadFiles, type RosterImportRow, setProgress } from './imports';
import { emptyCounts, type RosterContent, type RosterCounts, type RosterIssue } from './model';
import { writeRosterAudit } from './audit';
import { readOneRoster } from './oneroster';
import { planRoster, type RosterOp } from './plan';
import { readPlainCsv } from './plain';
import {
  applyOp,
  type ApplyState,
  claimInstitutionSourcedId,
  departmentIdsOf,
  insertPeople,
  loadExisting,
  loadRosterContext,
} from './store';

/**
 * Runs roster imports. The network worker calls runRosterImport from a BullMQ job
 * (src/roster/job.ts) whose delivery the upload's RosterImportQueued event created (ADR 0026);
 * the `roster_import` row stays the truth for status, progress and report, so a job delivered
 * twice, or again after its worker died, decides from the row what is left to do.
 */

/** What a run of an import did: ran it, found it already finished, or found another runner alive. */
export type RosterRunOutcome = 'processed' | 'finished-before' | 'busy' | 'unknown';

const UNFINISHED = new Set(['QUEUED', 'VALIDATING', 'APPLYING']);

/**
 * Runs one import to its end state unless it is finished already. A session advisory lock on a
 * connection of its own makes the runner unique: a second delivery while the first runs gets
 * 'busy' (its job retries later), and the lock dies with the connection of a worker that dies,
 * so the redelivered job runs the import again from the start at once (ALL_OR_NOTHING rolled
 * back, ROW_BY_ROW upserts idempotent). A finished import is left alone: 'finished-before'.
 */
export async function runRosterImport(ds: DataSource, importId: string, log?: Logger): Promise<RosterRunOutcome> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  const key = `network:roster-import:${importId}`;
  try {
    const [lock] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key])) as { locked: boolean }[];
    if (!lock?.locked) return 'busy';
    try {
      const row = await findRosterImport(ds, importId);
      if (!row) return 'unknown';
      if (!UNFINISHED.has(row.status)) return 'finished-before';
      if (row.status !== 'QUEUED')
        log?.warn({ importId, status: row.status }, 'roster import interrupted earlier; running it again from the start');
      await ds.query(
        `UPDATE roster_import SET status = 'VALIDATING', progress = 0, started_at = now(), heartbeat_at = now() WHERE id = $1`,
        [importId],
      );
      await executeRosterImport(ds, { ...row, status: 'VALIDATING', progress: 0 }, log);
      return 'processed';
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await runner.release();
  }
}

/** Reads, checks and plans the files; nothing is written but the import's own row. */
export async function validateImport(ds: DataSource, run: RosterImportRow, now = new Date()) {
  const files = await loadFiles(ds, run.id);
  const ctx = await loadRosterContext(ds, run.institutionId, now);
  const content: RosterContent = run.format === 'ONEROSTER_1_2_CSV' ? readOneRoster(files, ctx, run.syncMode) : readPlainCsv(files, ctx);
  const existing = await loadExisting(ds, run.institutionId, [...new Set(content.people.map((p) => p.email))]);
  const plan = planRoster(content, existing, run.syncMode, `roster import ${run.id}`);
  const issues = [...content.issues, ...plan.issues].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { content, plan, issues };
}

function tally(ops: readonly RosterOp[], counts: RosterCounts): void {
  for (const op of ops) {
    if (op.type === 'createDepartment' || op.type === 'createPerson') counts.created++;
    else if (op.type === 'updateDepartment' || op.type === 'updatePerson') counts.updated++;
    else if (op.status === 'INACTIVE') counts.deactivated++;
    else counts.reactivated++;
  }
}

/** Runs one import to its end state (its caller holds the import's lock, runRosterImport). */
export async function executeRosterImport(ds: DataSource, run: RosterImportRow, log?: Logger): Promise<void> {
  try {
    const { content, plan, issues } = await validateImport(ds, run);
    const counts = { ...emptyCounts(), rows: content.rows, unchanged: plan.unchanged };
    const meta = { actorId: run.requestedBy, requestId: `roster-import-${run.id}` };
    // A file naming another institution's orgs is refused whole, row by row too (model.ts).
    const refused = content.namesOtherInstitutions || (run.applyMode === 'ALL_OR_NOTHING' && issues.length > 0);
    if (run.applyMode === 'DRY_RUN' || refused) {
      tally(plan.ops, counts); // what would change
      await finishImport(ds, run.id, { status: run.applyMode === 'DRY_RUN' ? 'VALIDATED' : 'REJECTED', counts, issues });
      return;
    }
    await setProgress(ds, run.id, 'APPLYING', 0.3);
    const departments = plan.ops.filter((op) => op.type === 'createDepartment' || op.type === 'updateDepartment');
    const creations = plan.ops.filter((op): op is Extract<RosterOp, { type: 'createPerson' }> => op.type === 'createPerson');
    const others = plan.ops.filter((op) => op.type === 'updatePerson' || op.type === 'setStatus');
    if (run.applyMode === 'ALL_OR_NOTHING') {
      await ds.transaction(async (em) => {
        if (plan.institutionSourcedId) await claimInstitutionSourcedId(em, run.institutionId, plan.institutionSourcedId);
        const state: ApplyState = {
          institutionId: run.institutionId,
          meta,
          departmentIds: await departmentIdsOf(em, run.institutionId),
          audit: [],
        };
        for (const op of departments) await applyOp(em, op, state);
        await insertPeople(em, creations, state);
        for (const op of others) await applyOp(em, op, state);
        await writeRosterAudit(em, run, state.audit);
        tally(plan.ops, counts);
        await finishImport(em, run.id, { status: 'APPLIED', counts, issues });
      });
      return;
    }
    // ROW_BY_ROW: each row in its own transaction; a failed row is reported and the rest go on.
    const failures: RosterIssue[] = [];
    if (plan.institutionSourcedId)
      await ds.transaction((em) => claimInstitutionSourcedId(em, run.institutionId, plan.institutionSourcedId as string));
    const state: ApplyState = {
      institutionId: run.institutionId,
      meta,
      departmentIds: await departmentIdsOf(ds, run.institutionId),
      audit: [],
    };
    const ordered = [...departments, ...creations, ...others];
    for (const [i, op] of ordered.entries()) {
      try {
        await ds.transaction(async (em) => {
          await applyOp(em, op, state);
          await writeRosterAudit(em, run, state.audit);
        });
        tally([op], counts);
      } catch (error) {
        state.audit.length = 0; // the row's transaction rolled back: its entries with it
        counts.failed++;
        failures.push({
          file: op.file,
          line: op.line || null,
          column: null,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      if (i % 500 === 0) await setProgress(ds, run.id, 'APPLYING', 0.3 + (0.7 * i) / ordered.length);
    }
    await finishImport(ds, run.id, { status: 'APPLIED', counts, issues: [...issues, ...failures] });
  } catch (error) {
    log?.error({ err: error, importId: run.id }, 'roster import failed');
    await finishImport(ds, run.id, {
      status: 'FAILED',
      counts: emptyCounts(),
      issues: [],
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Runs the oldest QUEUED import in the caller's process, as its job would: for tests and tools
 * that run no worker. True when it ran one (there may be more).
 */
export async function processNextRosterImport(ds: DataSource, log?: Logger): Promise<boolean> {
  const [next] = (await ds.query(`SELECT id FROM roster_import WHERE status = 'QUEUED' ORDER BY created_at, id LIMIT 1`)) as {
    id: string;
  }[];
  if (!next) return false;
  return (await runRosterImport(ds, next.id, log)) === 'processed';
}
