/**
 * The subgraphs of the supergraph and their default ports: one table read by the compose
 * script, the launcher and the deployment manifests' generator, so they never disagree.
 */
export const SUBGRAPHS = [
  { name: 'network', port: 4001 },
  { name: 'curriculum', port: 4002 },
  { name: 'rotations', port: 4003 },
  { name: 'assessment', port: 4004 },
  { name: 'mentorship', port: 4005 },
  { name: 'quality', port: 4007 },
] as const satisfies readonly { name: string; port: number }[];

/** Ports later services will take (ARCHITECTURE §2), reserved so nothing else grabs them. */
export const RESERVED_PORTS = { gateway: 4000, curriculum: 4002, rotations: 4003, assessment: 4004, mentorship: 4005 } as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** Worker health ports: the subgraph's port + 100 (e.g. network 4101). */
export const workerHealthPort = (subgraphPort: number): number => subgraphPort + 100;
