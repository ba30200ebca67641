import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runSubgraph, type RunningSubgraph } from '@medcollab/kit';
import {
  createTestDatabase,
  SqlCounter,
  startSupergraph,
  testServices,
  tokenFor,
  type RunningSupergraph,
  type TestDatabase,
} from '@medcollab/testing';
import { entities } from '../../src/entities';
import { migrations } from '../../src/migrations';
import { networkSubgraph } from '../../src/server';
import { processNextRosterImport } from '../../src/roster/processor';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { seedDemoNetwork } from '../../src/seed/demo-network';

/** The network subgraph with the demo network behind the real gateway, as a client sees it. */
let db: TestDatabase;
let network: RunningSubgraph;
let supergraph: RunningSupergraph;
let demo: DemoNetworkSummary;
const counter = new SqlCounter();

beforeAll(async () => {
  db = await createTestDatabase('network', { entities, migrations });
  network = await runSubgraph(networkSubgraph, { databaseUrl: db.url, redisUrl: testServices().redisUrl, port: 0, ormLogger: counter });
  demo = await seedDemoNetwork(network.dataSource);
  supergraph = await startSupergraph({ subgraphs: [{ name: 'network', url: network.url }] });
});

afterAll(async () => {
  await supergraph?.stop();
  await network?.stop();
  await db?.drop();
});

const NETWORK_QUERY = `
  query Network($kind: InstitutionKind) {
    institutions(kind: $kind) { id name kind departments { name specialty } }
    agreements { status school { name kind } hospital { name kind } departments { name } }
  }`;

describe('the supergraph with the network subgraph', () => {
  it('lists institutions with departments and agreements with their parties for a network admin', async () => {
    const token = await tokenFor({
      personId: demo.networkAdmin.id,
      institutionId: demo.networkAdmin.institutionId,
      roles: ['NETWORK_ADMIN'],
    });
    const { status, body } = await supergraph.request(NETWORK_QUERY, { token, variables: { kind: 'HOSPITAL' } });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.institutions.length).toBeGreaterThanOrEqual(4);
    for (const hospital of body.data.institutions) {
      expect(hospital.kind).toBe('HOSPITAL');
      expect(hospital.departments.length).toBeGreaterThanOrEqual(5);
    }
    const active = body.data.agreements.filter((a: { status: string }) => a.status === 'ACTIVE');
    expect(active.length).toBeGreaterThanOrEqual(5);
    for (const a of active) {
      expect(a.school.kind).toBe('SCHOOL');
      expect(a.hospital.kind).toBe('HOSPITAL');
      expect(a.departments.length).toBeGreaterThan(0);
    }
  });

  it('shows a coordinator only the agreements their school is party to', async () => {
    const token = await tokenFor({ personId: demo.coordinator.id, institutionId: demo.coordinator.institutionId, roles: ['COORDINATOR'] });
    const { body } = await supergraph.request(`{ agreements { school { id } hospital { id } } }`, { token });
    expect(body.errors).toBeUndefined();
    expect(body.data.agreements.length).toBeGreaterThan(0);
    for (const a of body.data.agreements) expect(a.school.id).toBe(demo.coordinator.institutionId);
  });

  it('refuses a caller without a token, and a caller from another institution', async () => {
    const anonymous = await supergraph.request(NETWORK_QUERY);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.data ?? null).toBeNull();

    const otherSchool = demo.schools.find((s) => s.id !== demo.student.institutionId)!;
    const outsider = await tokenFor({ institutionId: otherSchool.id, roles: ['COORDINATOR'] });
    const { body } = await supergraph.request(`query($id: ID!) { student(id: $id) { email } }`, {
      token: outsider,
      variables: { id: demo.student.id },
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(body)).not.toContain('@');
  });

  it('lets a student read themself through the gateway', async () => {
    const token = await tokenFor({ personId: demo.student.id, institutionId: demo.student.institutionId, roles: ['STUDENT'] });
    const { body } = await supergraph.request(`{ viewer { student { id school { id } } } }`, { token });
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer.student).toEqual({ id: demo.student.id, school: { id: demo.student.institutionId } });
  });

  it('loads 50 students with their school in a constant number of SQL statements', async () => {
    const token = await tokenFor({
      personId: demo.networkAdmin.id,
      institutionId: demo.networkAdmin.institutionId,
      roles: ['NETWORK_ADMIN'],
    });
    const query = `query($first: Int) { students(first: $first) { edges { node { familyName school { name } } } } }`;
    counter.reset();
    const five = await supergraph.request(query, { token, variables: { first: 5 } });
    const forFive = counter.count;
    counter.reset();
    const fifty = await supergraph.request(query, { token, variables: { first: 50 } });
    expect(five.body.data.students.edges).toHaveLength(5);
    expect(fifty.body.data.students.edges).toHaveLength(50);
    expect(counter.count).toBe(forFive);
    expect(counter.count).toBeLessThanOrEqual(3);
  });

  it('shows the event log to a network admin only', async () => {
    const query = `{ networkEvents { service unpublishedCount oldestUnpublishedAgeSeconds parkedCount parked(first: 5) { eventId } } }`;
    const admin = await tokenFor({
      personId: demo.networkAdmin.id,
      institutionId: demo.networkAdmin.institutionId,
      roles: ['NETWORK_ADMIN'],
    });
    const seen = await supergraph.request(query, { token: admin });
    expect(seen.body.errors).toBeUndefined();
    // No relay runs in this test, so the seed's deliveries are all still waiting in the outbox.
    const [{ n }] = await network.dataSource.query('SELECT count(*)::int AS n FROM outbox_delivery WHERE published_at IS NULL');
    expect(seen.body.data.networkEvents).toMatchObject({ service: 'network', unpublishedCount: n, parkedCount: 0, parked: [] });

    const coordinator = await tokenFor({
      personId: demo.coordinator.id,
      institutionId: demo.coordinator.institutionId,
      roles: ['COORDINATOR'],
    });
    const refused = await supergraph.request(query, { token: coordinator });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("runs a roster import for a school's integration account, its progress and report visible through the gateway", async () => {
    const school = demo.schools[0]!;
    const token = await tokenFor({ institutionId: school.id, roles: ['INTEGRATION'] });
    const start = await supergraph.request(
      `mutation($input: StartRosterImportInput!) { startRosterImport(input: $input) { uploadPath import { id status } } }`,
      { token, variables: { input: { institutionId: school.id, format: 'PLAIN_CSV', syncMode: 'DELTA', applyMode: 'ALL_OR_NOTHING' } } },
    );
    expect(start.body.errors).toBeUndefined();
    const link = start.body.data.startRosterImport;
    expect(link.import.status).toBe('AWAITING_UPLOAD');
    const form = new FormData();
    const people = 'kind,sourcedId,givenName,familyName,email,cohortYear\nstudent,E2E-1,Rosalind,Franklin,rosalind.e2e@example.edu,2025\n';
    form.append('people.csv', new Blob([people]), 'people.csv');
    const uploaded = await fetch(new URL(link.uploadPath, network.url), { method: 'POST', body: form });
    expect(uploaded.status).toBe(202);
    while (await processNextRosterImport(network.dataSource));
    counter.reset();
    const seen = await supergraph.request(
      `query($id: ID!) { rosterImport(id: $id) { status progress institution { name } counts { created } issueCount } }`,
      { token, variables: { id: link.import.id } },
    );
    expect(seen.body.errors).toBeUndefined();
    expect(seen.body.data.rosterImport).toEqual({
      status: 'APPLIED',
      progress: 1,
      institution: { name: school.name },
      counts: { created: 1 },
      issueCount: 0,
    });
    expect(counter.count).toBeLessThanOrEqual(2);
    const student = await supergraph.request(
      `query($i: ID!, $s: String!) { studentBySourcedId(institutionId: $i, sourcedId: $s) { givenName school { name } } }`,
      { token, variables: { i: school.id, s: 'E2E-1' } },
    );
    expect(student.body.data.studentBySourcedId).toEqual({ givenName: 'Rosalind', school: { name: school.name } });
  });
  it('runs docs/examples/roster-sync.sh as written, through a gateway holding the example safelist', async () => {
    const examples = join(__dirname, '..', '..', '..', '..', 'docs', 'examples');
    const admin = await tokenFor({ personId: demo.networkAdmin.id, institutionId: null, roles: ['NETWORK_ADMIN'] });
    const created = await supergraph.request(`mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { id name } }`, {
      token: admin,
      variables: { input: { name: 'Northbridge School of Medicine', kind: 'SCHOOL', timezone: 'Europe/London', sourcedId: 'NB-SCHOOL' } },
    });
    expect(created.body.errors).toBeUndefined();
    const institution = created.body.data.createInstitution as { id: string; name: string };
    // The example safelist's client, as the example claims name it; its gateway refuses every other operation.
    const trusted = await startSupergraph({
      subgraphs: [{ name: 'network', url: network.url }],
      gatewayConfig: { TRUSTED_OPERATIONS_PATH: join(examples, 'trusted-operations.json') },
    });
    const previousPublicUrl = process.env.NETWORK_PUBLIC_URL;
    process.env.NETWORK_PUBLIC_URL = new URL(network.url).origin; // where the upload link points
    try {
      const token = await tokenFor({
        personId: '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
        institutionId: institution.id,
        roles: ['INTEGRATION'],
      });
      const files = readdirSync(join(examples, 'oneroster')).map((f) => join('oneroster', f));
      const script = spawn('bash', ['roster-sync.sh', 'ONEROSTER_1_2_CSV', 'FULL', 'ALL_OR_NOTHING', ...files], {
        cwd: examples,
        env: { ...process.env, GATEWAY: trusted.url, TOKEN: token, INSTITUTION: institution.id },
      });
      let stdout = '';
      let stderr = '';
      script.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      script.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => script.on('close', resolve));
      let code: number | null | undefined;
      void exited.then((c) => (code = c));
      // The worker's loop, while the script polls the import's status through the gateway.
      while (code === undefined) {
        await processNextRosterImport(network.dataSource);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(stdout.slice(stdout.indexOf('{\n'))) as {
        status: string;
        issueCount: number;
        counts: Record<string, number>;
      };
      expect(report).toMatchObject({ status: 'APPLIED', issueCount: 0, counts: { created: 8, failed: 0 } });
      // The same client is refused anything its safelist does not hold.
      const other = await trusted.request(`query { institutions { id } }`, { token });
      expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      if (previousPublicUrl === undefined) delete process.env.NETWORK_PUBLIC_URL;
      else process.env.NETWORK_PUBLIC_URL = previousPublicUrl;
      await trusted.stop();
    }
  }, 240_000);
});
