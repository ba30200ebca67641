import { type DataSource } from 'typeorm';
import { MentorNotice } from '../entities';

/** A mentor's own notices, newest first. */
export function listNotices(ds: DataSource, mentorId: string, limit: number): Promise<MentorNotice[]> {
  return ds.getRepository(MentorNotice).find({ where: { mentorId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit });
}
