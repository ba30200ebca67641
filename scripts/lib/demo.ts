import { type DataSource } from 'typeorm';
import { seedDemoNetwork, type DemoNetworkSummary } from '../../services/network/src/seed/demo-network';
import { mintToken } from '../../gateway/src/tokens';

/** Loads the demo network when the database is empty (deterministic; a no-op otherwise). */
export function seedDemo(network: DataSource): Promise<DemoNetworkSummary> {
  return seedDemoNetwork(network);
}

/** Ready-to-use tokens for the demo people, valid for a working day. */
export async function demoTokens(summary: DemoNetworkSummary): Promise<Record<string, string>> {
  const eightHours = '8h';
  return {
    'network admin': await mintToken({ sub: summary.networkAdmin.id, institutionId: summary.networkAdmin.institutionId, roles: ['NETWORK_ADMIN'], expiresIn: eightHours }),
    coordinator: await mintToken({ sub: summary.coordinator.id, institutionId: summary.coordinator.institutionId, roles: ['COORDINATOR'], expiresIn: eightHours }),
    student: await mintToken({ sub: summary.student.id, institutionId: summary.student.institutionId, roles: ['STUDENT'], expiresIn: eightHours }),
  };
}
