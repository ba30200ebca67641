import { runSubgraphProcess } from '@medcollab/kit';
import { networkSubgraph } from './server';

runSubgraphProcess(networkSubgraph);
