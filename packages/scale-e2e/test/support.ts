import { assessmentSubgraph, loadScaleAssessment } from '@medcollab/assessment';
import { curriculumSubgraph, loadScaleCurriculum } from '@medcollab/curriculum';
import { loadScaleMentorship, mentorshipSubgraph } from '@medcollab/mentorship';
import { loadScaleNetwork, networkSubgraph } from '@medcollab/network';
import { loadScaleQuality, qualitySubgraph } from '@medcollab/quality';
import { loadScaleRotations, rotationsSubgraph } from '@medcollab/rotations';
import { type ScaleLoader } from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';

/** The services that keep a part of the generated world: module and loader. */
export const SCALE_SERVICES = [
  { module: networkSubgraph, load: loadScaleNetwork },
  { module: curriculumSubgraph, load: loadScaleCurriculum },
  { module: rotationsSubgraph, load: loadScaleRotations },
  { module: assessmentSubgraph, load: loadScaleAssessment },
  { module: mentorshipSubgraph, load: loadScaleMentorship },
  { module: qualitySubgraph, load: loadScaleQuality },
] as { module: { name: string; entities: unknown; migrations: unknown }; load: ScaleLoader<DataSource> }[];
