import { runSubgraphProcess } from '@medcollab/kit';
import { auditSubgraph } from './server';

runSubgraphProcess(auditSubgraph);
