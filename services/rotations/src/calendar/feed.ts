import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { type DataSource, In, Not } from 'typeorm';
import { addDays } from '@medcollab/kit';
import { hospitalGrantActive } from '../domain/placement-lifecycle';
import { Placement, RotationBlock } from '../entities';
import { type FeedOwner } from './tokens';

/**
 * An iCalendar (RFC 5545) feed of rotations, one all-day event per placement. Rotations knows
 * people and departments by id only (names belong to the network), so events carry the block
 * name and ids, and no personal data: the feed URL may end up in a shared calendar.
 *
 * - a student's feed: their placements that are not cancelled (proposals as TENTATIVE);
 * - a department's feed: what the hospital may see there now (confirmed, running, or completed
 *   within the grace period).
 */
export async function buildFeed(ds: DataSource, owner: FeedOwner, now: Date): Promise<string> {
  const repo = ds.getRepository(Placement);
  const placements =
    owner.kind === 'STUDENT'
      ? await repo.find({ where: { studentId: owner.ownerId, status: Not('CANCELLED') }, order: { startsOn: 'ASC', id: 'ASC' } })
      : (
          await repo.find({
            where: { departmentId: owner.ownerId, status: In(['CONFIRMED', 'IN_PROGRESS', 'COMPLETED']) },
            order: { startsOn: 'ASC', id: 'ASC' },
          })
        ).filter((p) => hospitalGrantActive(p, now));
  const blocks = placements.length
    ? await ds.getRepository(RotationBlock).findBy({ id: In([...new Set(placements.map((p) => p.blockId))]) })
    : [];
  const blockName = (id: string) => blocks.find((b) => b.id === id)?.name ?? 'Rotation block';

  const calendar = ical({
    name: owner.kind === 'STUDENT' ? 'My clinical rotations' : 'Department rotations',
    prodId: { company: 'MedCollab', product: 'rotations', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 3600,
  });
  for (const p of placements) {
    calendar.createEvent({
      id: `${p.id}@rotations.medcollab`,
      allDay: true,
      // All-day events end on the day after the last one (DTEND is exclusive).
      start: new Date(`${p.startsOn}T00:00:00Z`),
      end: new Date(`${addDays(p.endsOn, 1)}T00:00:00Z`),
      stamp: now,
      lastModified: p.updatedAt,
      summary: owner.kind === 'STUDENT' ? `Clinical rotation: ${blockName(p.blockId)}` : `Student placement: ${blockName(p.blockId)}`,
      description: [
        `Placement ${p.id} (${p.status})`,
        `Department ${p.departmentId}`,
        owner.kind === 'DEPARTMENT' ? `Student ${p.studentId}` : `Hospital ${p.hospitalId}`,
      ].join('\n'),
      status: p.status === 'PROPOSED' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
