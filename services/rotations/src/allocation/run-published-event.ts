import { type AllocationInput } from '@medcollab/allocation';
import { AllocationRunPublished, AllocationRunSuperseded } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { type CommandOptions } from '../data/placements';
import { outbox } from '../outbox';
import { type AllocationRunRow, type VariationRow } from './runs';

/**
 * AllocationRunPublished (and AllocationRunSuperseded for each run it replaced), in the
 * publication's transaction (issue 13: quality's seats offered vs filled and preference
 * satisfaction). The seats are the run's frozen snapshot (what the engine was offered, per
 * department and block); filled is how many of the published variation's assignments sit in
 * them. A rank at or past the snapshot's unranked rank (the engine's rule, check.ts) is a site
 * the student did not rank: null.
 */
export async function appendRunPublished(
  em: EntityManager,
  run: AllocationRunRow,
  variation: VariationRow,
  input: AllocationInput,
  supersededRunIds: string[],
  opts: CommandOptions,
): Promise<void> {
  const blockIds = [...new Set([...input.sites.map((s) => s.blockId), ...variation.assignments.map((a) => a.blockId)])];
  const starts = new Map(
    (
      (await em.query(`SELECT id, starts_on::text AS "startsOn" FROM rotation_block WHERE id = ANY($1::uuid[])`, [blockIds])) as {
        id: string;
        startsOn: string;
      }[]
    ).map((b) => [b.id, b.startsOn]),
  );
  const siteKey = (departmentId: string, blockId: string) => `${departmentId}:${blockId}`;
  const sites = new Map<
    string,
    { hospitalId: string; departmentId: string; specialty: string; blockId: string; seatsOffered: number; seatsFilled: number }
  >();
  // A department and block as the snapshot's seats or the variation's assignments first name it.
  const siteOf = (at: { hospitalId: string; departmentId: string; specialty: string; blockId: string }) => {
    const key = siteKey(at.departmentId, at.blockId);
    let site = sites.get(key);
    if (!site) {
      const { hospitalId, departmentId, specialty, blockId } = at;
      site = { hospitalId, departmentId, specialty, blockId, seatsOffered: 0, seatsFilled: 0 };
      sites.set(key, site);
    }
    return site;
  };
  for (const s of input.sites) siteOf(s).seatsOffered += s.seats;
  for (const a of variation.assignments) siteOf(a).seatsFilled += 1;
  const unranked = input.unrankedRank ?? input.preferences.reduce((m, p) => Math.max(m, p.rank), 0) + 1;
  const startsOn = (blockId: string) => starts.get(blockId) ?? '1970-01-01';
  await outbox.append(
    em,
    AllocationRunPublished,
    run.id,
    {
      runId: run.id,
      schoolId: run.schoolId,
      academicYear: run.academicYear,
      variation: variation.mechanism,
      supersededRunIds,
      sites: [...sites.values()]
        .filter((s) => starts.has(s.blockId))
        .sort((a, b) => a.blockId.localeCompare(b.blockId) || a.departmentId.localeCompare(b.departmentId))
        .map((s) => ({ ...s, startsOn: startsOn(s.blockId) })),
      placements: variation.assignments
        .filter((a) => starts.has(a.blockId))
        .map((a) => ({
          studentId: a.studentId,
          hospitalId: a.hospitalId,
          departmentId: a.departmentId,
          specialty: a.specialty,
          blockId: a.blockId,
          startsOn: startsOn(a.blockId),
          rank: a.rank >= 1 && a.rank < unranked ? a.rank : null,
        })),
      at: opts.now.toISOString(),
    },
    opts.meta,
  );
  for (const id of supersededRunIds)
    await outbox.append(
      em,
      AllocationRunSuperseded,
      id,
      { runId: id, schoolId: run.schoolId, supersededBy: run.id, at: opts.now.toISOString() },
      opts.meta,
    );
}
