import { bulkInsert, type ScaleWorld } from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';

/**
 * Writes the network's part of a generated world (pnpm seed --scale …) in bulk, in one
 * transaction, into an empty database: institutions, departments, people, active agreements
 * with their departments, and the grants the network derives from placement and mentorship
 * events (the same rows its projections would hold after those events).
 */
export async function loadScaleNetwork(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  return ds.transaction(async (em) => {
    await em.query('SET LOCAL synchronous_commit = off');
    const created = `${world.asOf}T00:00:00.000Z`;
    const counts: Record<string, number> = {};
    counts.institution = await bulkInsert(
      em,
      'institution',
      [
        ['id', 'uuid'],
        ['name', 'text'],
        ['kind', 'text'],
        ['timezone', 'text'],
        ['created_at', 'timestamptz'],
      ],
      world.institutions.map((i) => [i.id, i.name, i.kind, i.timezone, created]),
    );
    counts.department = await bulkInsert(
      em,
      'department',
      [
        ['id', 'uuid'],
        ['institution_id', 'uuid'],
        ['name', 'text'],
        ['specialty', 'text'],
        ['created_at', 'timestamptz'],
      ],
      world.departments.map((d) => [d.id, d.institutionId, d.name, d.specialty, created]),
    );
    counts.staff_member = await bulkInsert(
      em,
      'staff_member',
      [
        ['id', 'uuid'],
        ['institution_id', 'uuid'],
        ['department_id', 'uuid'],
        ['given_name', 'text'],
        ['family_name', 'text'],
        ['email', 'text'],
        ['roles', 'text[]'],
        ['created_at', 'timestamptz'],
      ],
      world.staff.map((s) => [s.id, s.institutionId, s.departmentId, s.givenName, s.familyName, s.email, s.roles, created]),
    );
    counts.student = await bulkInsert(
      em,
      'student',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['given_name', 'text'],
        ['family_name', 'text'],
        ['email', 'text'],
        ['cohort_year', 'int'],
        ['prior_clinical_years', 'int'],
        ['created_at', 'timestamptz'],
      ],
      world.students.map((s) => [s.id, s.schoolId, s.givenName, s.familyName, s.email, s.cohortYear, s.priorClinicalYears, created]),
    );
    counts.collaboration_agreement = await bulkInsert(
      em,
      'collaboration_agreement',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['starts_on', 'date'],
        ['ends_on', 'date'],
        ['status', 'text'],
        ['activated_at', 'timestamptz'],
        ['created_at', 'timestamptz'],
      ],
      world.agreements.map((a) => [a.id, a.schoolId, a.hospitalId, a.startsOn, a.endsOn, 'ACTIVE', a.activatedAt, a.activatedAt]),
    );
    counts.agreement_department = await bulkInsert(
      em,
      'agreement_department',
      [
        ['agreement_id', 'uuid'],
        ['department_id', 'uuid'],
      ],
      world.agreements.flatMap((a) => a.departmentIds.map((d) => [a.id, d])),
    );
    counts.hospital_access_grant = await bulkInsert(
      em,
      'hospital_access_grant',
      [
        ['placement_id', 'uuid'],
        ['student_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['department_id', 'uuid'],
        ['supervisor_id', 'uuid'],
        ['valid_until', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      world.placements.map((p) => [p.id, p.studentId, p.hospitalId, p.departmentId, p.supervisorId, p.accessUntil, p.changedAt]),
    );
    counts.mentor_access_grant = await bulkInsert(
      em,
      'mentor_access_grant',
      [
        ['mentorship_id', 'uuid'],
        ['mentor_id', 'uuid'],
        ['student_id', 'uuid'],
        ['updated_at', 'timestamptz'],
      ],
      world.mentorships.filter((m) => m.status !== 'ENDED').map((m) => [m.id, m.mentorId, m.studentId, m.createdAt]),
    );
    // Statistics now, as the other services' loaders take them: a bulk load leaves none, and a server
    // without autovacuum (the bench machine's) plans every read of these tables blind (ADR 0072).
    await em.query('ANALYZE');
    return counts;
  });
}
