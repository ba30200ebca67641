import { runSubgraphProcess } from '@medcollab/kit';
import { notificationsSubgraph } from './server';

runSubgraphProcess(notificationsSubgraph);
