import { randomUUID } from 'node:crypto';
import { parseCommandLine, ROLES, type Role } from '@medcollab/kit';
import { mintToken } from '@medcollab/gateway';

const USAGE = `Usage: pnpm mint-token --role <ROLE>[,<ROLE>…] [--institution <id>] [--sub <person id>] [--expires 8h]

Prints a development token (HS256 with JWT_SECRET) for the gateway; the token is the last line.
Roles: ${ROLES.join(', ')}. Every role but NETWORK_ADMIN needs --institution.`;

/** `pnpm mint-token` (`token` is a pnpm built-in): prints a signed development token as its last line. */
async function main(): Promise<void> {
  const values = parseCommandLine(USAGE, {
    role: { type: 'string' },
    institution: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '8h' },
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
