import { type UniqueRefusals } from '@medcollab/kit';

/** Messages (and the field to name) for the unique indexes a racing writer could still hit after our own checks. */
export const uniqueRefusals: UniqueRefusals = {
  competency_framework_name_version_unique: { message: 'A framework with this name and version already exists', field: 'version' },
  competency_code_unique: { message: 'This framework already has a competency with this code', field: 'code' },
  program_title_unique: { message: 'This school already has a program with this title', field: 'title' },
  track_title_unique: { message: 'This program already has a track with this title', field: 'title' },
  curriculum_module_code_unique: { message: 'This program already has a module with this code', field: 'code' },
  enrollment_active_unique: { message: 'The student is already enrolled in this program', field: 'studentId' },
};
