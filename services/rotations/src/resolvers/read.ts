import { readWithPolicy } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { canReadPlacement, canReadSchoolCalendar, departmentDecides } from '../domain/access-policy';
import { type Placement, type RotationBlock } from '../entities';

/**
 * The caller's department at their own institution, for the instructors' least-privilege rule
 * (null for every other caller: their department never decides). Batched and cached per request.
 */
export async function actorDepartment(ctx: RotationsContext): Promise<string | null> {
  if (!departmentDecides(ctx.actor)) return null;
  const self = await ctx.loaders.knownStaff.load(ctx.actor.personId);
  return self !== null && self.institutionId === ctx.actor.institutionId ? self.departmentId : null;
}

/** The caller's staff record is loaded only when the other rules refuse and the department could decide. */
export async function mayReadPlacement(ctx: RotationsContext, p: Placement): Promise<boolean> {
  if (canReadPlacement(ctx.actor, p, ctx.now)) return true;
  return departmentDecides(ctx.actor) && canReadPlacement(ctx.actor, p, ctx.now, await actorDepartment(ctx));
}

/** The placements among `placements` the caller may see. */
export async function visiblePlacements(ctx: RotationsContext, placements: readonly Placement[]): Promise<Placement[]> {
  const allowed = await Promise.all(placements.map((p) => mayReadPlacement(ctx, p)));
  return placements.filter((_, i) => allowed[i]);
}

/** Root field and `__resolveReference` alike: null when missing, FORBIDDEN when not the caller's to see. */
export const readPlacement = (ctx: RotationsContext, id: string): Promise<Placement | null> =>
  readWithPolicy(ctx.loaders.placement, id, (p) => mayReadPlacement(ctx, p), 'You may not see this placement');

/** True when the caller may read the school's block calendar (partners loaded only when needed). */
export async function mayReadCalendar(ctx: RotationsContext, schoolId: string): Promise<boolean> {
  if (canReadSchoolCalendar(ctx.actor, schoolId, [])) return true;
  return canReadSchoolCalendar(ctx.actor, schoolId, await ctx.loaders.partnerHospitals.load(schoolId));
}

export const readBlock = (ctx: RotationsContext, id: string): Promise<RotationBlock | null> =>
  readWithPolicy(ctx.loaders.block, id, (b) => mayReadCalendar(ctx, b.schoolId), "You may not see this school's rotation calendar");
