import { ensure } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { canReadPlacement, canReadSchoolCalendar } from '../domain/access-policy';
import { type Placement, type RotationBlock } from '../entities';

export const mayReadPlacement = (ctx: RotationsContext, p: Placement): boolean => canReadPlacement(ctx.actor, p, ctx.now);

/** Root field and `__resolveReference` alike: null when missing, FORBIDDEN when not the caller's to see. */
export async function readPlacement(ctx: RotationsContext, id: string): Promise<Placement | null> {
  const placement = await ctx.loaders.placement.load(id);
  if (!placement) return null;
  ensure(mayReadPlacement(ctx, placement), 'You may not see this placement');
  return placement;
}

/** True when the caller may read the school's block calendar (partners loaded only when needed). */
export async function mayReadCalendar(ctx: RotationsContext, schoolId: string): Promise<boolean> {
  if (canReadSchoolCalendar(ctx.actor, schoolId, [])) return true;
  return canReadSchoolCalendar(ctx.actor, schoolId, await ctx.loaders.partnerHospitals.load(schoolId));
}

export async function readBlock(ctx: RotationsContext, id: string): Promise<RotationBlock | null> {
  const block = await ctx.loaders.block.load(id);
  if (!block) return null;
  ensure(await mayReadCalendar(ctx, block.schoolId), "You may not see this school's rotation calendar");
  return block;
}
