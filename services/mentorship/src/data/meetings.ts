import { BadUserInputError, type Connection, toConnection } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { isUuid } from '../domain/validation';
import { MentorMeeting } from '../entities';

/** Meetings are keyset-paginated by (date, id), latest first; the cursor carries the last row's key. */
const keyOf = (m: MentorMeeting): string => JSON.stringify([m.metOn, m.id]);

function parseKey(key: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (Array.isArray(parsed) && parsed.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(String(parsed[0])) && isUuid(String(parsed[1]))) {
      return parsed as [string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError('Invalid cursor', { field: 'after' });
}

export async function meetingsPage(
  ds: DataSource,
  mentorshipId: string,
  page: { limit: number; afterKey: string | null },
): Promise<Connection<MentorMeeting>> {
  const qb = ds.getRepository(MentorMeeting).createQueryBuilder('m').where('m.mentorship_id = :mentorshipId', { mentorshipId });
  if (page.afterKey) {
    const [metOn, id] = parseKey(page.afterKey);
    qb.andWhere('(m.met_on, m.id) < (:metOn, :id)', { metOn, id });
  }
  const rows = await qb
    .orderBy('m.met_on', 'DESC')
    .addOrderBy('m.id', 'DESC')
    .limit(page.limit + 1)
    .getMany();
  return toConnection(rows, page.limit, keyOf);
}
