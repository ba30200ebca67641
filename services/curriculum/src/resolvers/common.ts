import { type Actor, ForbiddenError, isNetworkAdmin } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { isKnownHospital } from '../data/projections';

/** The arguments of a field that takes one id. */
export interface IdArgs {
  id: string;
}

/** The arguments of a mutation: one input object, validated by its zod schema. */
export interface InputArgs {
  input: unknown;
}

/** A reference to an entity another subgraph owns; the gateway fetches the rest from there. */
export const institutionRef = (id: string | null): { id: string } | null => (id ? { id } : null);

/**
 * Who owns new reference data: the institution named, else the caller's own; a network admin
 * naming none creates the network's own.
 */
export function referenceOwner(actor: Actor, requested: string | null): string | null {
  if (requested) return requested;
  return isNetworkAdmin(actor) ? null : actor.institutionId;
}

/** Frameworks are maintained by schools (or the network): an institution known as a hospital is refused. */
export async function refuseHospitalOwner(em: EntityManager, ownerId: string | null): Promise<void> {
  if (ownerId && (await isKnownHospital(em, ownerId))) {
    throw new ForbiddenError('Competency frameworks are maintained by schools or by the network, not by hospitals');
  }
}
