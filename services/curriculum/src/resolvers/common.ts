import { type Actor, ForbiddenError, isNetworkAdmin } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { isKnownHospital } from '../data/projections';

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
