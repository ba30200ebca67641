import { runSubgraphProcess } from '@medcollab/kit';
import { qualitySubgraph } from './server';

runSubgraphProcess(qualitySubgraph);
