import { BadUserInputError, type Connection, toConnection } from '@medcollab/kit';
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
  const qb = ds.getRepository(AssessmentTask).createQueryBuilder('t').where('t.assessor_id = :assessorId', { assessorId });
  if (status) qb.andWhere('t.status = :status', { status });
  if (page.afterKey) {
    const [at, id] = parseKey(page.afterKey);
    qb.andWhere('(t.assigned_at < :at OR (t.assigned_at = :at AND t.id > :id))', { at, id });
  }
  const rows = await qb
    .orderBy('t.assigned_at', 'DESC')
    .addOrderBy('t.id', 'ASC')
    .limit(page.limit + 1)
    .getMany();
  return toConnection(rows, page.limit, keyOf);
}

/** A school's placement tasks that were not given, newest first. */
export function listSampledOut(ds: DataSource, schoolId: string): Promise<TaskSampling[]> {
  return ds
    .getRepository(TaskSampling)
    .find({ where: { schoolId }, order: { decidedAt: 'DESC', placementId: 'ASC', role: 'ASC' }, take: 500 });
}
