import { randomUUID } from 'node:crypto';
import { auditSink } from '@medcollab/events';
import { type Actor, AuditCollector, type Logger } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { type Placement } from '../entities';
import { type FeedOwner } from './tokens';

const sink = auditSink();

/** What an event of the feed shows of a placement (feed.ts). */
const FEED_FIELDS = ['block', 'department', 'endsOn', 'hospital', 'startsOn', 'status'];

/**
 * A calendar feed is fetched outside GraphQL (by a calendar app, with the token in the URL), yet it
 * shows placements: each is a read of its student's record (ADR 0008, ADR 0028), recorded like the
 * GraphQL reads through the kit's collector, in one AuditRecorded batch per fetch. Who read it: the
 * student, for their own feed; for a department's feed, whoever holds its URL, which the trail can
 * only name as the feed (`calendar-feed:<department id>`, for the hospital). A failed write is
 * logged with its batch by the collector, and the feed still goes out (ADR 0008 §3).
 */
export async function recordFeedRead(ds: DataSource, log: Logger, owner: FeedOwner, shown: Placement[], now: Date): Promise<void> {
  if (!shown.length) return;
  const actor: Actor =
    owner.kind === 'STUDENT'
      ? { personId: owner.ownerId, institutionId: shown[0]!.schoolId, roles: ['STUDENT'] }
      : { personId: `calendar-feed:${owner.ownerId}`, institutionId: shown[0]!.hospitalId, roles: [] };
  const audit = new AuditCollector(
    { actor, requestId: `calendar-${randomUUID()}`, operation: 'calendarFeed', now },
    { sink, dataSource: ds, log },
  );
  for (const p of shown) audit.read('Placement', p.id, { studentId: p.studentId, schoolId: p.schoolId, fields: FEED_FIELDS });
  await audit.flush();
}
