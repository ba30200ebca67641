import { readWithPolicy } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { canReadPlacement, canReadSchoolCalendar } from '../domain/access-policy';
import { type Placement, type RotationBlock } from '../entities';

export const mayReadPlacement = (ctx: RotationsContext, p: Placement): boolean => canReadPlacement(ctx.actor, p, ctx.now);

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
