import { randomUUID } from 'node:crypto';
import { codes, ok, startNetwork, type NetworkHarness } from './support/harness';
import { networkAdmin } from './support/actors';

let h: NetworkHarness;
beforeAll(async () => {
  h = await startNetwork();
});
afterAll(() => h.stop());

const scrape = async () => {
  const res = await fetch(h.url.replace(/\/graphql$/, '/metrics'));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};
/** The value of one series, matched by name and every given label (in any order). */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('/metrics of a subgraph', () => {
  it('counts operations by client operation name, with durations, and errors by extensions.code', async () => {
    const admin = networkAdmin();
    // The gateway names its fetches <Operation>__<subgraph>__<n>: one client operation, one label.
    ok(await h.call(admin, 'query Institutions__network__0 { institutions { id } }'));
    ok(await h.call(admin, 'query Institutions__network__1 { institutions { name } }'));
    const student = { personId: randomUUID(), institutionId: randomUUID(), roles: ['STUDENT' as const] };
    const refused = await h.call(
      student,
      'mutation AddSchool($input: CreateInstitutionInput!) { createInstitution(input: $input) { id } }',
      {
        input: { name: 'Northbridge Medical School', kind: 'SCHOOL', timezone: 'Europe/Berlin' },
      },
    );
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(admin, 'query Typo { institutionz { id } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const text = await scrape();
    const institutions = { service: 'network', operation: 'Institutions', type: 'query' };
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_count', institutions)).toBe(2);
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_bucket', { ...institutions, le: '+Inf' })).toBe(2);
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_count', { operation: 'AddSchool', type: 'mutation' })).toBe(1);
    expect(series(text, 'medcollab_graphql_operation_errors_total', { operation: 'AddSchool', code: 'FORBIDDEN' })).toBe(1);
    expect(series(text, 'medcollab_graphql_operation_errors_total', { operation: 'Typo', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(series(text, 'medcollab_graphql_operation_errors_total', { operation: 'Institutions' })).toBeUndefined();
  });

  it('collapses operation names beyond the first 200 into "other"', async () => {
    const admin = networkAdmin();
    for (let i = 0; i < 205; i++) await h.call(admin, `query Flood${i} { viewer { personId } }`);
    const text = await scrape();
    const names = new Set(
      [...text.matchAll(/^medcollab_graphql_operation_duration_seconds_count\{[^}]*operation="([^"]+)"/gm)].map((m) => m[1]),
    );
    // 200 names kept, `other`, and `anonymous` for requests that name no operation.
    expect(names.size).toBeLessThanOrEqual(202);
    expect(names).toContain('other');
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_count', { operation: 'other' })).toBeGreaterThanOrEqual(5);
  });

  it('reports the PostgreSQL pool and the process', async () => {
    const text = await scrape();
    expect(series(text, 'medcollab_db_pool_connections', { service: 'network', state: 'in_use' })).toBeGreaterThanOrEqual(0);
    expect(series(text, 'medcollab_db_pool_connections', { service: 'network', state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^medcollab_db_pool_waiting_clients\{service="network"\} 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
