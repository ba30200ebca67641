import DataLoader from 'dataloader';
import { loaderById } from '@medcollab/kit';
import { type DataSource, In } from 'typeorm';
import { KnownPerson, ReminderStep, ReminderTask } from './entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Malformed ids can match nothing; dropping them keeps PostgreSQL from rejecting the batch. */
export const wellFormed = (ids: readonly string[]): string[] => ids.filter((id) => UUID.test(id));

/** Per-request batch loaders: one statement per kind of row, however many tasks a response names. */
export function createLoaders(ds: DataSource) {
  return {
    task: loaderById(async (ids: readonly string[]) => {
      const rows = await ds.getRepository(ReminderTask).findBy({ taskId: In(wellFormed(ids)) });
      return rows.map((r) => Object.assign(r, { id: r.taskId }));
    }),
    person: loaderById((ids: readonly string[]) => ds.getRepository(KnownPerson).findBy({ id: In(wellFormed(ids)) })),
    stepsByTask: new DataLoader<string, ReminderStep[]>(async (ids) => {
      const rows = await ds
        .getRepository(ReminderStep)
        .find({ where: { taskId: In(wellFormed(ids)) }, order: { fireAt: 'ASC', stepKey: 'ASC', recipientId: 'ASC' } });
      return ids.map((id) => rows.filter((r) => r.taskId === id));
    }),
  };
}

export type NotificationLoaders = ReturnType<typeof createLoaders>;
