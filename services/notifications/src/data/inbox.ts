import { type Connection, toConnection } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { Notification } from '../entities';
import { wellFormed } from '../loaders';

/** One page of a person's in-app notifications, newest first (keyset on created_at, id). */
export async function inboxPage(
  ds: DataSource,
  recipientId: string,
  page: { limit: number; afterKey: string | null },
): Promise<Connection<Notification>> {
  const qb = ds
    .getRepository(Notification)
    .createQueryBuilder('n')
    .where(`n.recipient_id = :recipientId AND n.channel = 'IN_APP'`, { recipientId })
    .orderBy('n.created_at', 'DESC')
    .addOrderBy('n.id', 'DESC')
    .limit(page.limit + 1);
  if (page.afterKey) {
    const [at, id] = page.afterKey.split('|');
    qb.andWhere('(n.created_at, n.id) < (:at, :id)', { at, id });
  }
  const rows = await qb.getMany();
  return toConnection(rows, page.limit, (n) => `${n.createdAt.toISOString()}|${n.id}`);
}

export async function unreadCount(ds: DataSource, recipientId: string): Promise<number> {
  const [{ n }] = (await ds.query(
    `SELECT count(*)::int AS n FROM notification WHERE recipient_id = $1 AND channel = 'IN_APP' AND read_at IS NULL`,
    [recipientId],
  )) as [{ n: number }];
  return n;
}

/** Marks the person's own notifications read; ids of anyone else's match nothing. */
export async function markRead(em: EntityManager, recipientId: string, ids: string[] | null, now: Date): Promise<number> {
  const result = (await em.query(
    `UPDATE notification SET read_at = $2 WHERE recipient_id = $1 AND channel = 'IN_APP' AND read_at IS NULL
       AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))`,
    [recipientId, now, ids ? wellFormed(ids) : null],
  )) as [unknown, number];
  return result[1];
}
