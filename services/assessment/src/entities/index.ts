import { Instrument, InstrumentItem, PlacementInstrument } from './instrument.entity';
import { KnownAgreement, KnownStaff, KnownStudent } from '@medcollab/projections';
import {
  KnownCompetency,
  KnownDepartmentSpecialty,
  KnownEnrollment,
  KnownPlacement,
  KnownPostProfile,
  KnownProgramModule,
} from './known.entity';
import { CompetencyObservation, Submission, SubmissionAmendment } from './submission.entity';
import { AssessmentTask, TaskSampling } from './task.entity';

export {
  AssessmentTask,
  CompetencyObservation,
  Instrument,
  InstrumentItem,
  KnownAgreement,
  KnownCompetency,
  KnownDepartmentSpecialty,
  KnownEnrollment,
  KnownPlacement,
  KnownPostProfile,
  KnownProgramModule,
  KnownStaff,
  KnownStudent,
  PlacementInstrument,
  Submission,
  SubmissionAmendment,
  TaskSampling,
};

/** Every entity of the assessment database, for the DataSource. */
export const entities = [
  KnownStudent,
  KnownStaff,
  KnownAgreement,
  KnownPlacement,
  KnownEnrollment,
  KnownCompetency,
  KnownPostProfile,
  KnownProgramModule,
  KnownDepartmentSpecialty,
  Instrument,
  InstrumentItem,
  PlacementInstrument,
  AssessmentTask,
  TaskSampling,
  Submission,
  SubmissionAmendment,
  CompetencyObservation,
];
