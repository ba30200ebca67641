import DataLoader from 'dataloader';
import { loaderById } from '@medcollab/kit';
import { type DataSource, In } from 'typeorm';
import { KnownPerson, ReminderMentorship, ReminderPlacement, ReminderPreferenceWindow, ReminderStep, ReminderTask } from './entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Malformed ids can match nothing; dropping them keeps PostgreSQL from rejecting the batch. */
export const wellFormed = (ids: readonly string[]): string[] => ids.filter((id) => UUID.test(id));

/** The subject columns of a reminder step (exactly one is set per row). */
type SubjectKey = 'taskId' | 'placementId' | 'preferenceWindowId' | 'swapId' | 'mentorshipId';

/** The plan of many subjects of one kind in one statement, each in firing order. */
function stepsBy(ds: DataSource, key: SubjectKey): DataLoader<string, ReminderStep[]> {
  return new DataLoader<string, ReminderStep[]>(async (ids) => {
    const rows = await ds
      .getRepository(ReminderStep)
      .find({ where: { [key]: In(wellFormed(ids)) }, order: { fireAt: 'ASC', stepKey: 'ASC', recipientId: 'ASC' } });
    return ids.map((id) => rows.filter((r) => r[key] === id));
  });
}

/** A swap request as notifications knows it: who it concerns (the view's access facts). */
export interface SwapFacts {
  id: string;
  schoolId: string;
  studentId: string;
  withStudentId: string | null;
}

/** Per-request batch loaders: one statement per kind of row, however many subjects a response names. */
export function createLoaders(ds: DataSource) {
  return {
    task: loaderById(async (ids: readonly string[]) => {
      const rows = await ds.getRepository(ReminderTask).findBy({ taskId: In(wellFormed(ids)) });
      return rows.map((r) => Object.assign(r, { id: r.taskId }));
    }),
    placement: loaderById(async (ids: readonly string[]) => {
      const rows = await ds.getRepository(ReminderPlacement).findBy({ placementId: In(wellFormed(ids)) });
      return rows.map((r) => Object.assign(r, { id: r.placementId }));
    }),
    preferenceWindow: loaderById(async (ids: readonly string[]) => {
      const rows = await ds.getRepository(ReminderPreferenceWindow).findBy({ windowId: In(wellFormed(ids)) });
      return rows.map((r) => Object.assign(r, { id: r.windowId }));
    }),
    swap: loaderById(
      (ids: readonly string[]) =>
        ds.query(
          `SELECT swap_id AS "id", school_id AS "schoolId", student_id AS "studentId", with_student_id AS "withStudentId"
             FROM reminder_swap WHERE swap_id = ANY($1::uuid[])`,
          [wellFormed(ids)],
        ) as Promise<SwapFacts[]>,
    ),
    mentorship: loaderById(async (ids: readonly string[]) => {
      const rows = await ds.getRepository(ReminderMentorship).findBy({ mentorshipId: In(wellFormed(ids)) });
      return rows.map((r) => Object.assign(r, { id: r.mentorshipId }));
    }),
    person: loaderById((ids: readonly string[]) => ds.getRepository(KnownPerson).findBy({ id: In(wellFormed(ids)) })),
    stepsByTask: stepsBy(ds, 'taskId'),
    stepsByPlacement: stepsBy(ds, 'placementId'),
    stepsByWindow: stepsBy(ds, 'preferenceWindowId'),
    stepsBySwap: stepsBy(ds, 'swapId'),
    stepsByMentorship: stepsBy(ds, 'mentorshipId'),
  };
}

export type NotificationLoaders = ReturnType<typeof createLoaders>;
