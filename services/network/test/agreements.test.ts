import { networkAdmin, staffOf } from './support/actors';
import { outboxEvents, rowCounts } from './support/db';
import { activate, buildWorld, M, proposeAgreement, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
let w: World;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const terms = (departmentIds: (string | undefined)[], startsOn: string, endsOn: string, hospital: 'H' | 'K' = 'H') => ({
  schoolId: w.schoolA.id,
  hospitalId: hospital === 'H' ? w.hospitalH.id : w.hospitalK.id,
  departmentIds: departmentIds as string[],
  startsOn,
  endsOn,
});
const eventsFor = async (type: string, id: string) => (await outboxEvents(h.dataSource, type)).filter((e) => e.aggregate_id === id);
const statusOf = async (id: string): Promise<string> =>
  (await h.dataSource.query('SELECT status FROM collaboration_agreement WHERE id = $1', [id]))[0].status;

describe('agreement lifecycle', () => {
  it('goes PROPOSED -> ACTIVE -> ENDED, each step by a party, with its event in the same transaction', async () => {
    const schoolCoordinator = staffOf(w.schoolA.id, 'COORDINATOR');
    const hospitalAdmin = staffOf(w.hospitalK.id, 'INSTITUTION_ADMIN');
    const departmentIds = [w.kDepartments[0]?.id, w.kDepartments[1]?.id];
    const { id } = await proposeAgreement(h, terms(departmentIds, '2025-01-01', '2025-12-31', 'K'), schoolCoordinator);
    expect(await eventsFor('AgreementActivated', id)).toEqual([]);

    const activated = ok(await activate(h, id, hospitalAdmin)).activateAgreement;
    expect(activated.status).toBe('ACTIVE');
    const [event] = await eventsFor('AgreementActivated', id);
    expect(event?.payload).toEqual({
      agreementId: id,
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalK.id,
      departmentIds: expect.arrayContaining(departmentIds) as unknown,
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
      // The fixture's departments are all internal medicine.
      departmentSpecialties: expect.arrayContaining(
        departmentIds.map((departmentId) => ({ departmentId, specialty: 'INTERNAL_MEDICINE' })),
      ) as unknown,
      // Names, for messages people read in consumers (allocation explanations).
      departmentNames: expect.arrayContaining(departmentIds.map((departmentId) => ({ departmentId, name: expect.any(String) }))) as unknown,
      hospitalName: expect.any(String) as unknown,
    });
    expect(event?.metadata.actorId).toBe(hospitalAdmin.personId);

    const ended = ok(await h.call(schoolCoordinator, M.endAgreement, { input: { id, endedOn: '2025-06-30' } })).endAgreement;
    expect(ended).toEqual({ id, status: 'ENDED', endedOn: '2025-06-30' });
    expect((await eventsFor('AgreementEnded', id)).map((e) => e.payload)).toEqual([
      { agreementId: id, schoolId: w.schoolA.id, hospitalId: w.hospitalK.id, endedOn: '2025-06-30' },
    ]);
  });

  it('refuses every other transition with CONFLICT and writes nothing', async () => {
    const proposed = await proposeAgreement(h, terms([w.kDepartments[2]?.id], '2030-01-01', '2030-12-31', 'K'));
    const active = await proposeAgreement(h, terms([w.kDepartments[2]?.id], '2031-01-01', '2031-12-31', 'K'));
    ok(await activate(h, active.id));
    const before = await rowCounts(h.dataSource);

    expect(codes(await h.call(networkAdmin(), M.endAgreement, { input: { id: proposed.id } }))).toEqual(['CONFLICT']);
    expect(codes(await activate(h, active.id))).toEqual(['CONFLICT']);
    ok(await h.call(networkAdmin(), M.endAgreement, { input: { id: active.id, endedOn: '2031-03-01' } }));
    const afterEnd = await rowCounts(h.dataSource);
    expect(codes(await activate(h, active.id))).toEqual(['CONFLICT']);
    expect(codes(await h.call(networkAdmin(), M.endAgreement, { input: { id: active.id } }))).toEqual(['CONFLICT']);

    expect(await statusOf(proposed.id)).toBe('PROPOSED');
    expect(await statusOf(active.id)).toBe('ENDED');
    expect(afterEnd.outbox).toBe(before.outbox + 1);
    expect(await rowCounts(h.dataSource)).toEqual(afterEnd);
  });

  it('refuses an end date after endsOn, and defaults to the planned end once it has passed', async () => {
    const { id } = await proposeAgreement(h, terms([w.kDepartments[0]?.id], '2020-01-01', '2020-12-31', 'K'));
    ok(await activate(h, id));
    expect(codes(await h.call(networkAdmin(), M.endAgreement, { input: { id, endedOn: '2021-01-01' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await statusOf(id)).toBe('ACTIVE');
    expect(ok(await h.call(networkAdmin(), M.endAgreement, { input: { id } })).endAgreement.endedOn).toBe('2020-12-31');
  });

  it('answers NOT_FOUND for an agreement that does not exist', async () => {
    expect(codes(await activate(h, '00000000-0000-4000-8000-000000000000'))).toEqual(['NOT_FOUND']);
  });
});

describe('overlapping agreements', () => {
  it('refuses to activate a second agreement sharing a department on overlapping dates (CONFLICT)', async () => {
    const [d0, d1, d2] = w.hDepartments.map((d) => d.id);
    const first = await proposeAgreement(h, terms([d0, d1], '2025-01-01', '2025-12-31'));
    ok(await activate(h, first.id));

    const clash = await proposeAgreement(h, terms([d1, d2], '2025-12-31', '2026-12-31'));
    const before = await rowCounts(h.dataSource);
    const refused = await activate(h, clash.id);
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.extensions?.conflictingAgreementIds).toEqual([first.id]);
    expect(await statusOf(clash.id)).toBe('PROPOSED');
    expect(await rowCounts(h.dataSource)).toEqual(before);

    // The day after, or another department, is no clash; nor is another school.
    const later = await proposeAgreement(h, terms([d1], '2026-01-01', '2026-12-31'));
    const otherDepartment = await proposeAgreement(h, terms([d2], '2025-06-01', '2025-12-31'));
    const otherSchool = await proposeAgreement(h, { ...terms([d0], '2025-01-01', '2025-12-31'), schoolId: w.schoolB.id });
    for (const a of [later, otherDepartment, otherSchool]) expect(ok(await activate(h, a.id)).activateAgreement.status).toBe('ACTIVE');
  });

  it('lets exactly one of several simultaneous overlapping activations through', async () => {
    const d = w.hDepartments[2]?.id;
    const starts = ['2040-01-01', '2040-02-01', '2040-03-01', '2040-04-01', '2040-05-01', '2040-06-01'];
    const proposed = await Promise.all(starts.map((s) => proposeAgreement(h, terms([d], s, '2040-12-31'))));
    const results = await Promise.all(proposed.map((a) => activate(h, a.id)));
    expect(results.flatMap(codes)).toEqual(Array(starts.length - 1).fill('CONFLICT'));
    const statuses = await Promise.all(proposed.map((a) => statusOf(a.id)));
    expect(statuses.filter((s) => s === 'ACTIVE')).toHaveLength(1);
    const activations = await Promise.all(proposed.map((a) => eventsFor('AgreementActivated', a.id)));
    expect(activations.flat()).toHaveLength(1);
  });
});
