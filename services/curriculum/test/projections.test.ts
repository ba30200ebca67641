import { randomUUID } from 'node:crypto';
import { createConsumer, type EventEnvelope, type EventJobData } from '@medcollab/events';
import { projectionHandlers } from '../src/data/projections';
import { staffOf } from './support/actors';
import { createProgram, newInstitutionId } from './support/fixtures';
import { codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

let h: CurriculumHarness;
beforeAll(async () => {
  h = await startCurriculum();
});
afterAll(() => h.stop());

let sequence = 0;
function job(
  type: string,
  aggregateType: string,
  aggregateId: string,
  payload: unknown,
  previousEventId: string | null = null,
): EventJobData {
  const envelope: EventEnvelope = {
    id: randomUUID(),
    type,
    version: 1,
    source: 'network',
    aggregateType,
    aggregateId,
    sequence: ++sequence,
    occurredAt: new Date().toISOString(),
    payload,
    metadata: {},
  };
  return { envelope, previousEventId };
}

describe('projections of network events (through the real consumer)', () => {
  const consumer = () => createConsumer({ service: 'curriculum', dataSource: h.dataSource, handlers: projectionHandlers });

  it('records a student once however often the event is delivered, and keeps their experience current', async () => {
    const studentId = randomUUID();
    const schoolId = newInstitutionId();
    const registered = job('StudentRegistered', 'Student', studentId, {
      studentId,
      schoolId,
      email: 'a@example.edu',
      cohortYear: 2024,
      priorClinicalYears: 2,
    });
    expect(await consumer().apply(registered)).toBe('applied');
    expect(await consumer().apply(registered)).toBe('duplicate');
    const rows = await h.dataSource.query('SELECT school_id, prior_clinical_years FROM known_student WHERE id = $1', [studentId]);
    expect(rows).toEqual([{ school_id: schoolId, prior_clinical_years: 2 }]);
  });

  it('opens and closes a partner hospital with AgreementActivated and AgreementEnded, applied in order', async () => {
    const [agreementId, schoolId, hospitalId] = [randomUUID(), newInstitutionId(), newInstitutionId()];
    const program = await createProgram(h, schoolId);
    const PROGRAM = `query($id: ID!) { program(id: $id) { id } }`;
    const nurse = staffOf(hospitalId, 'CLINICAL_INSTRUCTOR');
    const activated = job('AgreementActivated', 'CollaborationAgreement', agreementId, {
      agreementId,
      schoolId,
      hospitalId,
      departmentIds: [randomUUID()],
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
    });
    const ended = job(
      'AgreementEnded',
      'CollaborationAgreement',
      agreementId,
      { agreementId, schoolId, hospitalId, endedOn: '2026-06-30' },
      activated.envelope.id,
    );
    // The end waits for its predecessor: a consumer never applies them out of order.
    expect(await consumer().apply(ended)).toBe('waiting');
    expect(await consumer().apply(activated)).toBe('applied');
    expect(ok(await h.call(nurse, PROGRAM, { id: program.id })).program.id).toBe(program.id);
    expect(await consumer().apply(ended)).toBe('applied');
    expect(codes(await h.call(nurse, PROGRAM, { id: program.id }))).toEqual(['FORBIDDEN']);
    const [row] = await h.dataSource.query('SELECT status, ended_on::text AS ended_on FROM known_agreement WHERE id = $1', [agreementId]);
    expect(row).toEqual({ status: 'ENDED', ended_on: '2026-06-30' });
  });

  it('refuses an event that does not match its contract (the worker then parks it) without applying it', async () => {
    await expect(consumer().apply(job('StudentRegistered', 'Student', randomUUID(), { studentId: 'not-a-uuid' }))).rejects.toThrow(
      /invalid payload/,
    );
  });
});
