import { runSubgraphProcess } from '@medcollab/kit';
import { assessmentSubgraph } from './server';

runSubgraphProcess(assessmentSubgraph);
