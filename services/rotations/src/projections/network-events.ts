import { type EVENT_CONTRACTS, type EventEnvelope, type Handlers, type PayloadOf } from '@medcollab/events';
import { type AgreementActivated, type StaffRegistered, type StaffUpdated } from '@medcollab/events';
import {
  andThen,
  networkFactHandlers,
  projectAgreementActivated as projectSharedAgreementActivated,
  projectStaff,
} from '@medcollab/projections';
import { type EntityManager } from 'typeorm';

/**
 * Projections of the network's events: the shared ones of @medcollab/projections (ADR 0011),
 * plus rotations' own known_department. Each handler runs inside the consumer's inbox
 * transaction and is idempotent on its own (upserts keyed by ids), so the demo seed can feed
 * the same payloads through them before the real events arrive, and the real ones change
 * nothing when they do.
 */

/**
 * Remembers which institution a department belongs to (agreements and staff both tell) and,
 * when an agreement says so, its specialty. A department's specialty never changes in the
 * network, so an event that does not tell (a staff registration, an older agreement event)
 * keeps the one already known. Names (department, hospital) are kept the same way.
 */
async function knowDepartments(
  em: EntityManager,
  institutionId: string,
  departmentIds: readonly string[],
  specialties: ReadonlyMap<string, string | null> = new Map(),
  names: { departments?: ReadonlyMap<string, string>; hospital?: string } = {},
): Promise<void> {
  if (!departmentIds.length) return;
  await em.query(
    `INSERT INTO known_department (id, institution_id, specialty, name, hospital_name)
     SELECT d.id, $2, d.specialty, d.name, $5 FROM unnest($1::uuid[], $3::text[], $4::text[]) AS d(id, specialty, name)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, specialty = COALESCE(EXCLUDED.specialty, known_department.specialty),
       name = COALESCE(EXCLUDED.name, known_department.name), hospital_name = COALESCE(EXCLUDED.hospital_name, known_department.hospital_name)`,
    [
      departmentIds,
      institutionId,
      departmentIds.map((id) => specialties.get(id) ?? null),
      departmentIds.map((id) => names.departments?.get(id) ?? null),
      names.hospital ?? null,
    ],
  );
}

/** The shared projection (@medcollab/projections), then the department's institution. */
export async function projectStaffRegistered(
  em: EntityManager,
  p: PayloadOf<typeof StaffRegistered> | PayloadOf<typeof StaffUpdated>,
): Promise<void> {
  await projectStaff(em, p);
  if (p.departmentId) await knowDepartments(em, p.institutionId, [p.departmentId]);
}

/** The shared projection (@medcollab/projections), then the covered departments' hospital, specialty and names. */
export async function projectAgreementActivated(em: EntityManager, p: PayloadOf<typeof AgreementActivated>): Promise<void> {
  await projectSharedAgreementActivated(em, p);
  const specialties = new Map((p.departmentSpecialties ?? []).map((d) => [d.departmentId, d.specialty] as const));
  await knowDepartments(em, p.hospitalId, p.departmentIds, specialties, {
    departments: new Map((p.departmentNames ?? []).map((d) => [d.departmentId, d.name] as const)),
    hospital: p.hospitalName,
  });
}

export { projectAgreementEnded, projectStudent as projectStudentRegistered } from '@medcollab/projections';

const payload =
  <P>(handler: (em: EntityManager, p: P) => Promise<void>) =>
  (em: EntityManager, envelope: EventEnvelope<P>) =>
    handler(em, envelope.payload);

const shared = networkFactHandlers(['student', 'staff', 'agreement']);

/**
 * The consumer's handlers (src/worker.ts) for the network's facts: the shared projections, and
 * what rotations learns besides (departments' institutions, specialties and names) chained after them.
 */
export const networkEventHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  ...shared,
  StaffRegistered: andThen(shared.StaffRegistered, (em, e) => knowStaffDepartment(em, e.payload)),
  StaffUpdated: andThen(shared.StaffUpdated, (em, e) => knowStaffDepartment(em, e.payload)),
  AgreementActivated: payload(projectAgreementActivated),
};

async function knowStaffDepartment(em: EntityManager, p: { institutionId: string; departmentId: string | null }): Promise<void> {
  if (p.departmentId) await knowDepartments(em, p.institutionId, [p.departmentId]);
}
