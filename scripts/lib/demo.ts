import { type DataSource } from 'typeorm';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { seedDemoNetwork } from '@medcollab/network';
import { seedDemoCurriculum } from '@medcollab/curriculum';
import { seedDemoRotations } from '@medcollab/rotations';
import { seedDemoAssessment } from '@medcollab/assessment';
import { seedDemoMentoring, seedDemoMentorship } from '@medcollab/mentorship';
import { mintToken } from '@medcollab/gateway';

/**
 * Each service's demo loader. All are deterministic and idempotent, and build on the demo
 * network's ids (they never read the network's database).
 */
const DEMO_SEEDERS: Record<string, (ds: DataSource, network: DemoNetworkSummary) => Promise<unknown>> = {
  curriculum: seedDemoCurriculum,
  rotations: seedDemoRotations,
  assessment: (ds, network) => seedDemoAssessment(ds, network),
  // Mentor profiles, then the demo cohort's mentorships, meetings and goals (quality's mentorship figures).
  mentorship: async (ds, network) => {
    await seedDemoMentorship(ds, network);
    return seedDemoMentoring(ds, network);
  },
};

/** Loads the demo network, then every other service's demo data on top of it. */
export async function seedDemo(dataSources: Record<string, DataSource>): Promise<DemoNetworkSummary> {
  const network = await seedDemoNetwork(dataSources.network!);
  for (const [name, seed] of Object.entries(DEMO_SEEDERS)) {
    const ds = dataSources[name];
    if (ds) await seed(ds, network);
  }
  return network;
}

/** Ready-to-use tokens for the demo people, valid for a working day. */
export async function demoTokens(summary: DemoNetworkSummary): Promise<Record<string, string>> {
  const token = (person: { id: string; institutionId: string }, roles: Parameters<typeof mintToken>[0]['roles']) =>
    mintToken({ sub: person.id, institutionId: person.institutionId, roles, expiresIn: '8h' });
  return {
    'network admin': await token(summary.networkAdmin, ['NETWORK_ADMIN']),
    'school admin': await token(summary.institutionAdmin, ['INSTITUTION_ADMIN']),
    coordinator: await token(summary.coordinator, ['COORDINATOR']),
    'hospital clinical instructor': await token(summary.clinicalInstructor, ['CLINICAL_INSTRUCTOR']),
    student: await token(summary.student, ['STUDENT']),
  };
}
