import { runSubgraphProcess } from '@medcollab/kit';
import { mentorshipSubgraph } from './server';

runSubgraphProcess(mentorshipSubgraph);
