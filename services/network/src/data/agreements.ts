import { BadUserInputError, NotFoundError, plainKeysetPage, plainRowReader, SqlConditions, todayIn } from '@medcollab/kit';
import { randomUUID } from 'node:crypto';
import { AgreementActivated, AgreementEnded } from '@medcollab/events';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { type AgreementScope } from '../domain/access-policy';
import {
  assertAgreementParties,
  assertDepartmentsOfHospital,
  assertNoOverlap,
  type AgreementTerms,
  nextStatus,
  resolveEndDate,
} from '../domain/agreement-rules';
import { type AgreementFilter, type ProposeAgreementInput } from '../domain/validation';
import { AgreementDepartment, CollaborationAgreement, Department, Institution } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { keyTuple, parseKeyTuple } from './keyset';
import { emptyConnection, type LazyConnection } from './name-page';
import { type CreateOptions, requireInstitution } from './institutions';

/** Records a PROPOSED agreement with its departments (no event: nothing takes effect yet). */
export async function proposeAgreement(
  em: EntityManager,
  input: ProposeAgreementInput,
  opts: CreateOptions = {},
): Promise<CollaborationAgreement> {
  const school = await requireInstitution(em, input.schoolId, 'schoolId');
  const hospital = await requireInstitution(em, input.hospitalId, 'hospitalId');
  assertAgreementParties(school, hospital);
  const departments = await em.getRepository(Department).findBy({ id: In(input.departmentIds) });
  assertDepartmentsOfHospital(hospital.id, input.departmentIds, departments);

  const agreement = em.getRepository(CollaborationAgreement).create({
    id: opts.id ?? randomUUID(),
    schoolId: school.id,
    hospitalId: hospital.id,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    status: 'PROPOSED',
    activatedAt: null,
    endedOn: null,
  });
  await em.getRepository(CollaborationAgreement).save(agreement);
  await em
    .getRepository(AgreementDepartment)
    .insert(input.departmentIds.map((departmentId) => ({ agreementId: agreement.id, departmentId })));
  return agreement;
}

/** Reads an agreement under a row lock, so concurrent transitions of it run one after the other. */
async function lockAgreement(em: EntityManager, id: string): Promise<CollaborationAgreement> {
  const agreement = await em
    .getRepository(CollaborationAgreement)
    .createQueryBuilder('a')
    .setLock('pessimistic_write')
    .where('a.id = :id', { id })
    .getOne();
  if (!agreement) throw new NotFoundError('Agreement', id);
  return agreement;
}

async function withDepartmentIds(em: EntityManager, agreements: CollaborationAgreement[]): Promise<AgreementTerms[]> {
  if (!agreements.length) return [];
  const links = await em.getRepository(AgreementDepartment).findBy({ agreementId: In(agreements.map((a) => a.id)) });
  return agreements.map((a) => ({
    ...a,
    departmentIds: links.filter((l) => l.agreementId === a.id).map((l) => l.departmentId),
  }));
}

/**
 * PROPOSED -> ACTIVE, unless an active agreement of the same school-hospital pair already
 * covers a shared department on overlapping dates. The check runs under a lock on the pair:
 * two activations racing for the same slot are serialised and the second sees the first.
 */
export async function activateAgreement(
  em: EntityManager,
  id: string,
  meta: EventMeta,
  now: Date = new Date(),
): Promise<CollaborationAgreement> {
  const agreement = await lockAgreement(em, id);
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('network.agreement-pair'), hashtext($1))`, [
    `${agreement.schoolId}:${agreement.hospitalId}`,
  ]);
  const status = nextStatus(agreement.status, 'activate');
  const [candidate] = await withDepartmentIds(em, [agreement]);
  const active = await withDepartmentIds(
    em,
    await em
      .getRepository(CollaborationAgreement)
      .findBy({ schoolId: agreement.schoolId, hospitalId: agreement.hospitalId, status: 'ACTIVE' }),
  );
  assertNoOverlap(candidate as AgreementTerms, active);

  agreement.status = status;
  agreement.activatedAt = now;
  await em.getRepository(CollaborationAgreement).update({ id }, { status, activatedAt: now });
  const departmentIds = (candidate as AgreementTerms).departmentIds.slice();
  // Consumers match rotation requirements on the specialty; a department's never changes.
  const departments = await em.getRepository(Department).findBy({ id: In(departmentIds) });
  await outbox.append(
    em,
    AgreementActivated,
    agreement.id,
    {
      agreementId: agreement.id,
      schoolId: agreement.schoolId,
      hospitalId: agreement.hospitalId,
      departmentIds,
      startsOn: agreement.startsOn,
      endsOn: agreement.endsOn,
      departmentSpecialties: departments.map((d) => ({ departmentId: d.id, specialty: d.specialty })),
      departmentNames: departments.map((d) => ({ departmentId: d.id, name: d.name })),
      hospitalName: (await em.getRepository(Institution).findOneBy({ id: agreement.hospitalId }))?.name,
    },
    meta,
  );
  return agreement;
}

/** ACTIVE -> ENDED on `endedOn` (default: today at the hospital, or the planned end if earlier). */
export async function endAgreement(
  em: EntityManager,
  id: string,
  endedOn: string | null,
  meta: EventMeta,
  now: Date = new Date(),
): Promise<CollaborationAgreement> {
  const agreement = await lockAgreement(em, id);
  const status = nextStatus(agreement.status, 'end');
  const hospital = await requireInstitution(em, agreement.hospitalId, 'hospitalId');
  const day = resolveEndDate(agreement, endedOn, todayIn(hospital.timezone, now));

  agreement.status = status;
  agreement.endedOn = day;
  await em.getRepository(CollaborationAgreement).update({ id }, { status, endedOn: day });
  await outbox.append(
    em,
    AgreementEnded,
    agreement.id,
    { agreementId: agreement.id, schoolId: agreement.schoolId, hospitalId: agreement.hospitalId, endedOn: day },
    meta,
  );
  return agreement;
}

/** The conditions of the agreements the scope allows, narrowed by the filter (the list and its pages share them). */
function agreementConditions(scope: { kind: 'all' } | { kind: 'party'; institutionId: string }, filter: AgreementFilter): SqlConditions {
  const where = new SqlConditions();
  if (scope.kind === 'party')
    where.and((p) => {
      const party = p(scope.institutionId);
      return `school_id = ${party} OR hospital_id = ${party}`;
    });
  const { schoolId, hospitalId, status } = filter;
  if (schoolId) where.and((p) => `school_id = ${p(schoolId)}`);
  if (hospitalId) where.and((p) => `hospital_id = ${p(hospitalId)}`);
  if (status) where.and((p) => `status = ${p(status)}`);
  return where;
}

/** Latest start first, then id: the list's order and its pages'. */
const AGREEMENT_ORDER = 'starts_on DESC, id ASC';

/** Agreements the scope allows, narrowed by the filter, newest start first. Plain SQL (ADR 0036). */
export function listAgreements(ds: DataSource, scope: AgreementScope, filter: AgreementFilter): Promise<CollaborationAgreement[]> {
  if (scope.kind === 'nothing') return Promise.resolve([]);
  const where = agreementConditions(scope, filter);
  return plainRowReader(ds, CollaborationAgreement).where(`${where.sql} ORDER BY ${AGREEMENT_ORDER}`, where.params);
}

const agreementKey = (a: CollaborationAgreement): string => keyTuple(a.startsOn, a.id);

/**
 * One page of the same list in the same order (latest start first, then id), keyset-paged:
 * the cursor carries the last row's (start, id), so a page costs the same wherever it is.
 * Plain SQL (the kit's plainKeysetPage).
 */
export function pageAgreements(
  ds: DataSource,
  scope: AgreementScope,
  filter: AgreementFilter,
  page: { limit: number; afterKey: string | null },
): Promise<LazyConnection<CollaborationAgreement>> {
  if (scope.kind === 'nothing') return Promise.resolve(emptyConnection());
  const after = page.afterKey ? (parseKeyTuple(page.afterKey, 2) as [string, string]) : null;
  if (after && !/^\d{4}-\d{2}-\d{2}$/.test(after[0])) throw new BadUserInputError('Invalid cursor', { field: 'after' });
  return plainKeysetPage(ds, CollaborationAgreement, agreementConditions(scope, filter), {
    limit: page.limit,
    seek: after
      ? (p) => {
          const start = p(after[0]);
          return `starts_on < ${start} OR (starts_on = ${start} AND id > ${p(after[1])})`;
        }
      : null,
    orderBy: AGREEMENT_ORDER,
    keyOf: agreementKey,
  });
}
