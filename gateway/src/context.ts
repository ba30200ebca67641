import { type Actor, type Logger } from '@medcollab/kit';

/** What the gateway knows about one operation; the data sources read it for every fetch. */
export interface GatewayContext {
  actor: Actor;
  requestId: string;
  /** Epoch ms by which every subgraph fetch of this operation must have finished. */
  deadline: number;
  log: Logger;
}
