import { runSubgraphProcess } from '@medcollab/kit';
import { curriculumSubgraph } from './server';

runSubgraphProcess(curriculumSubgraph);
