import { BadUserInputError, type Connection, plainRowReader, toConnection } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { type TaskStatus } from '../domain/model';
import { isUuid } from '../domain/validation';
import { AssessmentTask, TaskSampling } from '../entities';

const keyOf = (t: AssessmentTask): string => JSON.stringify([t.assignedAt.toISOString(), t.id]);

function parseKey(key: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (Array.isArray(parsed) && parsed.length === 2 && !Number.isNaN(Date.parse(String(parsed[0]))) && isUuid(String(parsed[1])))
      return parsed as [string, string];
  } catch {
    // fall through
  }
  throw new BadUserInputError('Invalid cursor', { field: 'after' });
}

/** An assessor's own tasks, newest first, keyset-paginated by (assigned_at, id). */
export async function listAssessorTasks(
  ds: DataSource,
  assessorId: string,
  status: TaskStatus | null,
  page: { limit: number; afterKey: string | null },
): Promise<Connection<AssessmentTask>> {
  // Plain SQL (ADR 0036): the inbox is a hot read, and TypeORM's query builder rebuilt this
  // statement and ran its row transformer on every request.
  const params: unknown[] = [assessorId];
  const conditions = ['assessor_id = $1'];
  if (status) conditions.push(`status = $${params.push(status)}`);
  if (page.afterKey) {
    const [at, id] = parseKey(page.afterKey);
    const a = params.push(at);
    conditions.push(`(assigned_at < $${a} OR (assigned_at = $${a} AND id > $${params.push(id)}))`);
  }
  const limit = params.push(page.limit + 1);
  const rows = await plainRowReader(ds, AssessmentTask).where(
    `${conditions.join(' AND ')} ORDER BY assigned_at DESC, id ASC LIMIT $${limit}`,
    params,
  );
  return toConnection(rows, page.limit, keyOf);
}

/** A school's placement tasks that were not given, newest first. */
export function listSampledOut(ds: DataSource, schoolId: string): Promise<TaskSampling[]> {
  return ds
    .getRepository(TaskSampling)
    .find({ where: { schoolId }, order: { decidedAt: 'DESC', placementId: 'ASC', role: 'ASC' }, take: 500 });
}
