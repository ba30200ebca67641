import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { type DataSource, In, Not } from 'typeorm';
import { addDays } from '@medcollab/kit';
import { hospitalGrantActive } from '../domain/placement-lifecycle';
import { Placement, RotationBlock } from '../entities';
import { type FeedOwner } from './tokens';

/**
 * An iCalendar (RFC 5545) feed of rotations, one all-day event per placement. Events carry the
 * block, department and hospital names (the latter two as the network's agreement events told
 * them; ids until then) and no personal data: the feed URL may end up in a shared calendar, so
 * a student appears by id only.
 *
 * - a student's feed: their placements that are not cancelled (proposals as TENTATIVE);
 * - a department's feed: what the hospital may see there now (confirmed, running, or completed
 *   within the grace period).
 *
 * Answers the placements it shows too: each is a read of that student's record (audited by the route).
 */
export async function buildFeed(ds: DataSource, owner: FeedOwner, now: Date): Promise<{ ics: string; shown: Placement[] }> {
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
  // Department and hospital names, as the network's agreement events told them (ids until then).
  const places = placements.length
    ? ((await ds.query(`SELECT id, name, hospital_name FROM known_department WHERE id = ANY($1::uuid[])`, [
        [...new Set(placements.map((p) => p.departmentId))],
      ])) as { id: string; name: string | null; hospital_name: string | null }[])
    : [];
  const departmentName = (id: string) => places.find((d) => d.id === id)?.name ?? `Department ${id}`;
  const hospitalName = (p: Placement) => places.find((d) => d.id === p.departmentId)?.hospital_name ?? `Hospital ${p.hospitalId}`;

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
        departmentName(p.departmentId),
        owner.kind === 'DEPARTMENT' ? `Student ${p.studentId}` : hospitalName(p),
      ].join('\n'),
      status: p.status === 'PROPOSED' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    });
  }
  return { ics: calendar.toString(), shown: placements };
}
