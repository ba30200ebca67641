import { type EVENT_CONTRACTS, type Handlers } from '@medcollab/events';
import { andThen } from '@medcollab/projections';
import { curriculumEventHandlers } from './curriculum-events';
import { networkEventHandlers } from './network-events';
import { cancelPlacementsOfDeactivatedStudent } from './people-lifecycle';

/** Every event rotations consumes (src/worker.ts, and the tests' consumer): the network's and the curriculum's. */
export const rotationsEventHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  ...networkEventHandlers,
  ...curriculumEventHandlers,
  StudentStatusChanged: andThen(networkEventHandlers.StudentStatusChanged, cancelPlacementsOfDeactivatedStudent),
};
