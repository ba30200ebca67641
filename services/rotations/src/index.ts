import { runSubgraphProcess } from '@medcollab/kit';
import { rotationsSubgraph } from './server';

runSubgraphProcess(rotationsSubgraph);
