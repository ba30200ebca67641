import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { createTestDatabase, testServices } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { appendBatch } from '../src/data/append';
import { applyRetention } from '../src/data/retention';
import { ensurePartitions } from '../src/data/partitions';
import { runVerifyCommand } from '../src/verify-command';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { actor, auditBatch } from './support/batches';

/**
 * `pnpm audit:verify` itself (ADR 0008 §5): what a data-protection office runs. It reads the audit
 * database of DATABASE_URL's server (DATABASE_PREFIX names it), prints each chain's count and
 * where it was verified from (genesis, or the anchor retention left when it dropped old months,
 * ADR 0028), and exits 1 naming the first broken link, 2 on bad usage.
 */
const ROOT = path.resolve(__dirname, '../../..');
const prefix = `mctest_verify_${randomBytes(4).toString('hex')}`;
const server = testServices().databaseUrl;
let ds: DataSource;
let drop: () => Promise<void>;
const school = randomUUID();
const now = new Date();
const month = (plus: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + plus, 10, 12));

let auditUrl: string;

/** The command's behaviour in this process (what the command runs). */
async function verify(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runVerifyCommand(args, auditUrl, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
  return { code, out: lines.join('\n') };
}

/** The command itself, as a data-protection office runs it (a process of its own). */
function verifyCommand(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'pnpm',
      ['exec', 'tsx', 'scripts/audit-verify.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: server, DATABASE_PREFIX: prefix, LOG_LEVEL: 'silent' }, timeout: 200_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

beforeAll(async () => {
  const db = await createTestDatabase('audit', { entities, migrations });
  // The command finds the audit database by name: <DATABASE_PREFIX>_audit.
  const admin = await initializeDataSource(createDataSource({ url: server, entities: [], migrations: [], poolSize: 1 }), {
    migrate: false,
  });
  await admin.query(`ALTER DATABASE "${db.name}" RENAME TO ${prefix}_audit`);
  await admin.destroy();
  const url = new URL(db.url);
  url.pathname = `/${prefix}_audit`;
  auditUrl = url.toString();
  ds = await initializeDataSource(createDataSource({ url: url.toString(), entities, migrations, poolSize: 2 }), { migrate: false });
  drop = async () => {
    await ds.destroy();
    const a = await initializeDataSource(createDataSource({ url: server, entities: [], migrations: [], poolSize: 1 }), { migrate: false });
    await a.query(`DROP DATABASE IF EXISTS ${prefix}_audit WITH (FORCE)`);
    await a.destroy();
  };
  await ensurePartitions(ds, month(-14));
  for (const at of [month(-14), month(-13), now])
    await ds.transaction((em) =>
      appendBatch(em, auditBatch(actor(['COORDINATOR'], school), [{ studentId: randomUUID(), schoolId: school }]), { recordedAt: at }),
    );
}, 240_000);
afterAll(() => drop?.());

describe('pnpm audit:verify', () => {
  it('reports each chain, from the anchor once retention dropped its old months, and names a broken link', async () => {
    expect(await verify('--institution', school)).toEqual({
      code: 0,
      out: expect.stringContaining(`institution ${school}: 3 entries verify (from genesis)`),
    });
    await ds.query(
      `INSERT INTO audit_retention (institution_id, months, legal_hold, updated_by, updated_at) VALUES ($1, 12, false, 'test', now())`,
      [school],
    );
    expect(await applyRetention(ds, now)).toBe(2);
    expect(await verify()).toEqual({
      code: 0,
      out: expect.stringContaining(`institution ${school}: 1 entries verify (from anchor at position 2)`),
    });
    await ds.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    try {
      await ds.query(`UPDATE audit_entry SET record_type = 'Forged' WHERE institution_id = $1 AND seq = 3`, [school]);
    } finally {
      await ds.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    }
    const broken = await verify('--institution', school);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(new RegExp(`institution ${school}: BROKEN at entry \\d+ \\(position 3, HASH\\)`));
  });

  it('verifies from a position or a date, on the stored hash of the entry before it, and names a broken link past it', async () => {
    const other = randomUUID();
    for (const at of [month(-2), month(-1), now, now])
      await ds.transaction((em) =>
        appendBatch(em, auditBatch(actor(['COORDINATOR'], other), [{ studentId: randomUUID(), schoolId: other }]), { recordedAt: at }),
      );
    expect(await verify('--institution', other, '--from', '3')).toEqual({
      code: 0,
      out: expect.stringContaining(`institution ${other}: 2 entries verify (from entry at position 2)`),
    });
    const firstOfLastMonth = month(-1).toISOString().slice(0, 8) + '01';
    expect(await verify('--institution', other, '--from', firstOfLastMonth)).toEqual({
      code: 0,
      out: expect.stringContaining(`institution ${other}: 3 entries verify (from entry at position 1)`),
    });
    expect(await verify('--institution', other, '--from', '99')).toEqual({
      code: 0,
      out: expect.stringContaining(`institution ${other}: no entries at or after 99`),
    });
    expect(await verify('--institution', other, '--from', '1')).toEqual({
      code: 0,
      out: expect.stringContaining(`institution ${other}: 4 entries verify (from genesis)`),
    });
    await ds.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    try {
      await ds.query(`UPDATE audit_entry SET operation = 'forged' WHERE institution_id = $1 AND seq = 2`, [other]);
    } finally {
      await ds.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    }
    // Past the forged entry the chain holds (entry 2's stored hash is where it starts); from it, it is named.
    expect((await verify('--institution', other, '--from', '3')).code).toBe(0);
    const broken = await verify('--institution', other, '--from', firstOfLastMonth);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(new RegExp(`institution ${other}: BROKEN at entry \\d+ \\(position 2, HASH\\)`));
  });

  it('refuses bad usage with exit code 2, and explains --from', async () => {
    expect((await verify('--institution', 'not-a-uuid')).code).toBe(2);
    expect((await verify('--expect', `3:${'a'.repeat(64)}`)).code).toBe(2);
    // A position is one institution's; a date must be a real one.
    expect((await verify('--from', '3')).code).toBe(2);
    expect((await verify('--from', '2026-02-30')).code).toBe(2);
    expect((await verify('--from', 'yesterday')).code).toBe(2);
    expect((await verify('--from')).code).toBe(2);
    expect(await verify('--help')).toEqual({ code: 0, out: expect.stringContaining('--from <date or position>') });
  });

  it('runs as its own process: finds the database by DATABASE_PREFIX and exits with the code', async () => {
    // The first test forged an entry of this chain.
    expect(await verifyCommand('--institution', school)).toEqual({
      code: 1,
      out: expect.stringMatching(new RegExp(`institution ${school}: BROKEN at entry \\d+ \\(position 3, HASH\\)`)),
    });
    expect((await verifyCommand('--from', 'yesterday')).code).toBe(2);
    expect(await verifyCommand('--help')).toEqual({ code: 0, out: expect.stringContaining('Exit codes: 0 every chain verifies') });
  });
});
