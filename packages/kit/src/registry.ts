/**
 * The subgraphs of the supergraph and their default ports: one table read by the compose
 * script, the launcher, the migration command and the deployment manifests' check, so they
 * never disagree (docs/architecture.md §2).
 */
export const SUBGRAPHS = [
  { name: 'network', port: 4001 },
  { name: 'curriculum', port: 4002 },
  { name: 'rotations', port: 4003 },
  { name: 'assessment', port: 4004 },
  { name: 'mentorship', port: 4005 },
  { name: 'notifications', port: 4006 },
  { name: 'quality', port: 4007 },
  { name: 'audit', port: 4008 },
] as const satisfies readonly { name: string; port: number }[];

/** The gateway's default port; subgraphs take the ports after it. */
export const GATEWAY_PORT = 4000;

/** The gateway's /metrics, apart from its public port (port + 100, like the workers' health ports). */
export const GATEWAY_METRICS_PORT = 4100;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** Worker health ports: the subgraph's port + 100 (e.g. network 4101). */
export const workerHealthPort = (subgraphPort: number): number => subgraphPort + 100;
