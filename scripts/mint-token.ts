import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
// Only @medcollab/tokens (jose): loading the kit or the gateway took most of the 1.5–5 s per call.
import { mintToken, ROLES, type Role } from '@medcollab/tokens';

const USAGE = `Usage: pnpm mint-token --role <ROLE>[,<ROLE>…] [--institution <id>] [--sub <person id>] [--expires 8h] [--count N]
       pnpm mint-token --batch <file.jsonl | ->

Prints development tokens (HS256 with JWT_SECRET, else the development secret) for the gateway.
One token: a description line, then the token as the last line. --count N: N tokens of that
kind, each for a new random subject unless --sub is given, one per line.
--batch: one JSON object per input line ({"role": "COORDINATOR", "institution": "<id>", "sub": "<id>",
"expires": "8h"}); prints one token per line, in order.
Roles: ${ROLES.join(', ')}. Every role but NETWORK_ADMIN needs an institution.`;

interface Spec {
  role?: string;
  institution?: string;
  sub?: string;
  expires?: string;
}

/** Validates one request; returns what mintToken needs or throws with the reason. */
function resolve(spec: Spec, where = ''): { sub: string; institutionId: string | null; roles: Role[]; expiresIn: string } {
  if (!spec.role) throw new Error(`${where}a role is required.`);
  const roles = spec.role.split(',').map((r) => r.trim().toUpperCase());
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`${where}unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}.`);
  if (!spec.institution && !roles.includes('NETWORK_ADMIN')) throw new Error(`${where}an institution is required for ${roles.join(',')}.`);
  return {
    sub: spec.sub ?? randomUUID(),
    institutionId: spec.institution ?? null,
    roles: roles as Role[],
    expiresIn: spec.expires ?? '8h',
  };
}

/** `pnpm mint-token` (`token` is a pnpm built-in). */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) return void console.log(USAGE);
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      role: { type: 'string' },
      institution: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      count: { type: 'string' },
      batch: { type: 'string' },
    },
  });
  const secret = process.env.JWT_SECRET || undefined;

  if (values.batch) {
    const text = readFileSync(values.batch === '-' ? 0 : values.batch, 'utf8');
    const specs = text
      .split('\n')
      .map((line, i) => ({ line: line.trim(), n: i + 1 }))
      .filter(({ line }) => line);
    // Everything is checked before anything is printed: a bad line never leaves a half-written batch.
    const requests = specs.map(({ line, n }) => {
      let spec: Spec;
      try {
        spec = JSON.parse(line) as Spec;
      } catch {
        throw new Error(`line ${n}: not JSON`);
      }
      return resolve(spec, `line ${n}: `);
    });
    const tokens = await Promise.all(requests.map((r) => mintToken({ ...r, secret })));
    process.stdout.write(`${tokens.join('\n')}\n`);
    return;
  }

  const request = resolve(values);
  const count = values.count === undefined ? undefined : Number(values.count);
  if (count !== undefined) {
    if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error('--count must be a whole number from 1 to 100000.');
    const tokens = await Promise.all(
      Array.from({ length: count }, () => mintToken({ ...request, sub: values.sub ?? randomUUID(), secret })),
    );
    process.stdout.write(`${tokens.join('\n')}\n`);
    return;
  }
  const token = await mintToken({ ...request, secret });
  console.log(
    `sub=${request.sub} institutionId=${request.institutionId ?? 'none'} roles=${request.roles.join(',')} expires=${request.expiresIn}`,
  );
  console.log(token);
}

main().catch((error: Error) => {
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(1);
});
