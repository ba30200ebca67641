import { BadUserInputError, parseInput } from '@medcollab/kit';
import { libraryCompetencyId } from '@medcollab/demo-world';
import { bulkInsert, loadKnownNetworkFacts, type ScaleWorld, type WorldPostProfile } from '@medcollab/scale-world';
import { type DataSource, type EntityManager } from 'typeorm';
import { unknownCompetencyIds } from '../data/frameworks';
import { createPostProfileSchema, type CreatePostProfileInput } from '../domain/validation/frameworks';
import { createCompetencyLibrary } from './library';

/**
 * Writes curriculum's part of a generated world in bulk, in one transaction, into an empty
 * database: what it knows of the network (students, agreements), the competency library
 * (through the API's own command, as every network starts with it), one program per school,
 * every student's active enrollment, and each program's post profile — every profile checked
 * by the API's rules (createPostProfileSchema: levels on the scale, no competency twice; every
 * competency in the library) before its rows are copied.
 */
export async function loadScaleCurriculum(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  return ds.transaction(async (em) => {
    await em.query('SET LOCAL synchronous_commit = off');
    const counts: Record<string, number> = {};
    // The library first, then every profile checked, so a refused world writes nothing else.
    await createCompetencyLibrary(em);
    const profiles = await checkedPostProfiles(em, world.postProfiles);
    Object.assign(counts, await loadKnownNetworkFacts(em, world, ['known_student', 'known_agreement']));
    counts.competency = Number(((await em.query('SELECT count(*)::int AS n FROM competency')) as { n: number }[])[0]!.n);
    counts.program = await bulkInsert(
      em,
      'program',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['title', 'text'],
        ['created_at', 'timestamptz'],
      ],
      world.programs.map((p) => [p.id, p.schoolId, p.title, '2020-06-01T09:00:00.000Z']),
    );
    counts.enrollment = await bulkInsert(
      em,
      'enrollment',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['program_id', 'uuid'],
        ['school_id', 'uuid'],
        ['status', 'text'],
        ['enrolled_at', 'timestamptz'],
        ['enrolled_by', 'uuid'],
      ],
      world.enrollments.map((e) => [e.id, e.studentId, e.programId, e.schoolId, 'ACTIVE', e.enrolledAt, e.enrolledBy]),
    );
    Object.assign(counts, await loadPostProfiles(em, profiles));
    // Statistics now, as the other services' loaders take them: a bulk load leaves none, and a server
    // without autovacuum (the bench machine's) plans every read of these tables blind (ADR 0072).
    await em.query('ANALYZE');
    return counts;
  });
}

/** A world requirement's competency: the library's stable id of its framework and code. */
const worldCompetencyId = (r: { framework: string; code: string }): string => libraryCompetencyId(r.framework, r.code);

/** The API's input for a world post profile (what `createPostProfile` would be sent). */
function postProfileInput(p: WorldPostProfile): CreatePostProfileInput {
  try {
    return parseInput(createPostProfileSchema, {
      title: p.title,
      specialty: p.specialty,
      description: p.description,
      ownerInstitutionId: p.schoolId,
      scale: p.scale,
      requirements: p.requirements.map((r) => ({ competencyId: worldCompetencyId(r), level: r.level })),
    });
  } catch (error) {
    throw new BadUserInputError(`post profile "${p.title}": ${(error as Error).message}`);
  }
}

type CheckedProfile = { id: string; input: CreatePostProfileInput };

/** Every profile as `createPostProfile` checks it: its input's rules, then every competency in the library. */
async function checkedPostProfiles(em: EntityManager, profiles: readonly WorldPostProfile[]): Promise<CheckedProfile[]> {
  const inputs = profiles.map((p) => ({ id: p.id, input: postProfileInput(p) }));
  const unknown = await unknownCompetencyIds(em, [...new Set(inputs.flatMap((x) => x.input.requirements.map((r) => r.competencyId)))]);
  if (unknown.length) {
    const named = profiles.flatMap((p) =>
      p.requirements.filter((r) => unknown.includes(worldCompetencyId(r))).map((r) => `${r.framework}/${r.code}`),
    );
    throw new BadUserInputError(`Unknown competency: ${[...new Set(named)].join(', ')}`, { field: 'requirements.competencyId' });
  }
  return inputs;
}

/** Copies the checked profiles and their requirements (in the profile's order). */
async function loadPostProfiles(em: EntityManager, inputs: readonly CheckedProfile[]): Promise<Record<string, number>> {
  const created = '2020-06-01T09:00:00.000Z';
  return {
    post_profile: await bulkInsert(
      em,
      'post_profile',
      [
        ['id', 'uuid'],
        ['title', 'text'],
        ['specialty', 'text'],
        ['description', 'text'],
        ['owner_institution_id', 'uuid'],
        ['scale_name', 'text'],
        ['scale_min', 'float8'],
        ['scale_max', 'float8'],
        ['created_at', 'timestamptz'],
      ],
      inputs.map(({ id, input }) => [
        id,
        input.title,
        input.specialty,
        input.description,
        input.ownerInstitutionId,
        input.scale.name,
        input.scale.min,
        input.scale.max,
        created,
      ]),
    ),
    post_profile_requirement: await bulkInsert(
      em,
      'post_profile_requirement',
      [
        ['post_profile_id', 'uuid'],
        ['competency_id', 'uuid'],
        ['level', 'float8'],
        ['position', 'int'],
      ],
      inputs.flatMap(({ id, input }) => input.requirements.map((r, i) => [id, r.competencyId, r.level, i + 1])),
    ),
  };
}
