import { randomUUID } from 'node:crypto';
import { type Actor, type Role } from '@medcollab/kit';
// From the tokens package, not the gateway's re-export: loading the gateway costs every test file.
import { mintToken, type MintTokenOptions } from '@medcollab/tokens';

export type TokenOptions = Pick<MintTokenOptions, 'secret' | 'expiresIn' | 'issuer' | 'audience' | 'issuedAt' | 'notBefore'>;

/**
 * A gateway token for `actor` (HS256, development secret unless `opts.secret`): tests say who
 * calls, and the gateway turns it back into the same actor. Missing ids are made up.
 */
export function tokenFor(actor: Partial<Actor> & { roles: Role[] }, opts: TokenOptions = {}): Promise<string> {
  return mintToken({ sub: actor.personId ?? randomUUID(), institutionId: actor.institutionId ?? null, roles: actor.roles, ...opts });
}
