import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@medcollab/kit';
import { mintToken } from '../gateway/src/tokens';

const USAGE = 'Usage: pnpm token --role <ROLE>[,<ROLE>…] [--institution <id>] [--sub <person id>] [--expires 8h]';

/** `pnpm token`: prints a signed development token as its last line. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      institution: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  if (!values.role) throw new Error(`--role is required.\n${USAGE}`);
  const roles = values.role.split(',').map((r) => r.trim().toUpperCase());
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`Unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}.\n${USAGE}`);
  if (!values.institution && !roles.includes('NETWORK_ADMIN'))
    throw new Error(`--institution is required for ${roles.join(',')}.\n${USAGE}`);
  const sub = values.sub ?? randomUUID();
  const token = await mintToken({ sub, institutionId: values.institution ?? null, roles: roles as Role[], expiresIn: values.expires });
  console.log(`sub=${sub} institutionId=${values.institution ?? 'none'} roles=${roles.join(',')} expires=${values.expires}`);
  console.log(token);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
