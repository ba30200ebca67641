import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import { DEV_JWT_SECRET, mintToken } from '../src';

const SCRIPT = path.resolve(__dirname, '../../../scripts/mint-token.ts');
const key = new TextEncoder().encode(DEV_JWT_SECRET);

/** Runs `pnpm mint-token` as a user does (node + tsx), with optional standard input. */
function run(args: string[], input?: string) {
  const env = { ...process.env };
  delete env.JWT_SECRET;
  return spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { input, encoding: 'utf8', env, timeout: 110_000 });
}

describe('mintToken', () => {
  it('signs the actor with the development secret by default', async () => {
    const token = await mintToken({ sub: 'p1', institutionId: 'i1', roles: ['COORDINATOR'], expiresIn: '1h' });
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ sub: 'p1', institutionId: 'i1', roles: ['COORDINATOR'] });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });
});

describe('pnpm mint-token', () => {
  it('mints --count tokens, one per line, each for its own subject', async () => {
    const res = run(['--role', 'coordinator', '--institution', 'school-1', '--count', '3']);
    expect(res.status).toBe(0);
    const tokens = res.stdout.trim().split('\n');
    expect(tokens).toHaveLength(3);
    const payloads = await Promise.all(tokens.map(async (t) => (await jwtVerify(t, key)).payload));
    expect(new Set(payloads.map((p) => p.sub)).size).toBe(3);
    for (const p of payloads) expect(p).toMatchObject({ institutionId: 'school-1', roles: ['COORDINATOR'] });
  });

  it('mints a batch from standard input, in order', () => {
    const lines = [
      { role: 'NETWORK_ADMIN', sub: 'admin-1' },
      { role: 'STUDENT', institution: 'school-2', sub: 'student-7', expires: '15m' },
    ];
    const res = run(['--batch', '-'], lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(res.status).toBe(0);
    const [admin, student] = res.stdout.trim().split('\n').map(decodeJwt);
    expect(admin).toMatchObject({ sub: 'admin-1', institutionId: null, roles: ['NETWORK_ADMIN'] });
    expect(student).toMatchObject({ sub: 'student-7', institutionId: 'school-2', roles: ['STUDENT'] });
    expect(student!.exp! - student!.iat!).toBe(900);
  });

  it('refuses a batch with a bad line and prints no token at all', () => {
    const res = run(['--batch', '-'], `${JSON.stringify({ role: 'NETWORK_ADMIN' })}\n${JSON.stringify({ role: 'COORDINATOR' })}\n`);
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('line 2: an institution is required for COORDINATOR');
  });

  it('keeps the single-token form: a description line, then the token', () => {
    const res = run(['--role', 'STUDENT', '--institution', 'school-1', '--sub', 'stu-1']);
    expect(res.status).toBe(0);
    const [description, token] = res.stdout.trim().split('\n');
    expect(description).toBe('sub=stu-1 institutionId=school-1 roles=STUDENT expires=8h');
    expect(decodeJwt(token!)).toMatchObject({ sub: 'stu-1' });
  });
});
