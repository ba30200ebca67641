import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import { DEV_INTERNAL_SECRET, type Actor, type Role, signActorHeaders } from '@medcollab/kit';
import { tokenFor } from '@medcollab/testing';
import {
  readStudentRecordOracle,
  STUDENT_RECORD_TYPES,
  typedObjects,
  type StudentRecordOracle,
  type StudentRecordType,
} from './support/student-records';
import { startWholeNetwork, type WholeNetwork } from './support/whole-network';

/**
 * The access matrix (issue 15, "Checks"): callers of every role at a school and at hospitals
 * ask every root query field of the supergraph about another institution's students, and every
 * subgraph is asked directly (as the gateway would) to resolve every student-record entity of
 * the demo world. Whatever comes back is checked against an oracle read from the databases:
 * a caller's institution may see a student's record only when it is the student's school,
 * hosts one of their placements, or employs one of their mentors; a caller with the STUDENT
 * role may see no other student's record. The count of rows seen that may not be seen is 0.
 */
const ROLES_AT = {
  school: ['INSTITUTION_ADMIN', 'COORDINATOR', 'QUALITY_OFFICER', 'TEACHER', 'MENTOR', 'STUDENT', 'INTEGRATION'],
  hospital: ['INSTITUTION_ADMIN', 'COORDINATOR', 'QUALITY_OFFICER', 'CLINICAL_INSTRUCTOR', 'MENTOR', 'STUDENT', 'INTEGRATION'],
} as const satisfies Record<string, readonly Role[]>;
const PARALLEL = 16;

let world: WholeNetwork;
let schema: GraphQLSchema;
let oracle: StudentRecordOracle;

interface Caller {
  label: string;
  actor: Actor;
  token: string;
}

/** What a caller asks about: one institution and the rows of its students. */
interface Target {
  institutionId: string;
  studentId: string;
  byArgument: Record<string, string>;
  academicYear: string;
}

beforeAll(async () => {
  world = await startWholeNetwork();
  const admin = await tokenFor({
    personId: world.demo.networkAdmin.id,
    institutionId: world.demo.networkAdmin.institutionId,
    roles: ['NETWORK_ADMIN'],
  });
  schema = buildClientSchema(
    (await world.pipeline.supergraph.request<IntrospectionQuery>(getIntrospectionQuery(), { token: admin })).body.data!,
  );
  oracle = await readStudentRecordOracle(world);
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

const rowsAbout = async (service: string, sql: string, params: unknown[]) =>
  (await world.pipeline.subgraphs[service]!.dataSource.query(sql, params)) as Record<string, string>[];

/** A target at a school: one of its students with the most records, and those records' ids. */
async function targetAt(schoolId: string): Promise<Target> {
  const [placed] = await rowsAbout(
    'rotations',
    `SELECT student_id, count(*) AS n FROM placement WHERE school_id = $1 GROUP BY student_id ORDER BY n DESC, student_id LIMIT 1`,
    [schoolId],
  );
  const studentId = placed?.student_id ?? [...oracle.schoolOf].find(([, school]) => school === schoolId)![0];
  const first = async (service: string, sql: string) => (await rowsAbout(service, sql, [studentId]))[0]?.id ?? randomUUID();
  const placementId = await first('rotations', 'SELECT id FROM placement WHERE student_id = $1 ORDER BY id LIMIT 1');
  const [placement] = await rowsAbout('rotations', 'SELECT block_id, department_id FROM placement WHERE id = $1', [placementId]);
  const [block] = await rowsAbout(
    'rotations',
    'SELECT id, academic_year FROM rotation_block WHERE school_id = $1 ORDER BY starts_on LIMIT 1',
    [schoolId],
  );
  const byArgument: Record<string, string> = {
    schoolId,
    institutionId: schoolId,
    studentId,
    placementId,
    taskId: await first('assessment', 'SELECT id FROM assessment_task WHERE student_id = $1 ORDER BY id LIMIT 1'),
    mentorshipId: await first('mentorship', 'SELECT mentorship_id AS id FROM mentorship_mentee WHERE student_id = $1 LIMIT 1'),
    goalId: await first('mentorship', 'SELECT id FROM development_goal WHERE student_id = $1 LIMIT 1'),
    swapRequestId: await first(
      'rotations',
      'SELECT s.id FROM swap_request s JOIN placement p ON p.id = s.placement_id WHERE p.student_id = $1 LIMIT 1',
    ),
    blockId: placement?.block_id ?? block?.id ?? randomUUID(),
    departmentId: placement?.department_id ?? randomUUID(),
  };
  return { institutionId: schoolId, studentId, byArgument, academicYear: block?.academic_year ?? '2026-2027' };
}

/** The value of an `id` argument: the target's row of the type the field returns. */
function idFor(field: GraphQLField<unknown, unknown>, target: Target): string | undefined {
  const returns = getNamedType(field.type).name;
  const byType: Record<string, string | undefined> = {
    Student: target.studentId,
    Placement: target.byArgument.placementId,
    AssessmentTask: target.byArgument.taskId,
    Mentorship: target.byArgument.mentorshipId,
    DevelopmentGoal: target.byArgument.goalId,
    SwapRequest: target.byArgument.swapRequestId,
    Institution: target.institutionId,
    RotationBlock: target.byArgument.blockId,
    Department: target.byArgument.departmentId,
  };
  return returns in byType ? byType[returns] : randomUUID();
}

/** An argument value aimed at the target, or undefined when the field cannot be aimed (then it is not asked). */
function argumentValue(name: string, type: GraphQLInputType, field: GraphQLField<unknown, unknown>, target: Target, depth = 0): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const one = argumentValue(name.replace(/Ids$/, 'Id'), inner.ofType, field, target, depth + 1);
    return one === undefined ? undefined : [one];
  }
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isInputObjectType(inner)) {
    if (depth > 3) return undefined;
    const out: Record<string, unknown> = {};
    for (const f of Object.values(inner.getFields())) {
      if (!isNonNullType(f.type)) continue;
      const v = argumentValue(f.name, f.type, field, target, depth + 1);
      if (v === undefined) return undefined;
      out[f.name] = v;
    }
    return out;
  }
  if (!isScalarType(inner)) return undefined;
  switch (inner.name) {
    case 'ID':
      if (name === 'id') return idFor(field, target);
      return target.byArgument[name] ?? (/(school|hospital|institution)Id$/.test(name) ? target.institutionId : randomUUID());
    case 'Int':
      return 20;
    case 'Boolean':
      return false;
    case 'Date':
      return '2027-01-15';
    case 'DateTime':
      return '2027-01-15T09:00:00Z';
    case 'String':
      return /year/i.test(name) ? target.academicYear : 'x';
    default:
      return undefined;
  }
}

/** `__typename id` on every object, and every object field without required arguments, two levels down. */
function selection(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const fields = Object.values(named.getFields());
  const parts = ['__typename', ...(fields.some((f) => f.name === 'id') ? ['id'] : [])];
  if (depth < 3) {
    for (const f of fields) {
      if (f.args.some((a) => isNonNullType(a.type)) || !isObjectType(getNamedType(f.type))) continue;
      parts.push(`${f.name} ${selection(f.type, depth + 1)}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

/** Can an answer of this type, selected as {@link selection} does, contain a student record? */
function reachesStudentRecord(type: GraphQLOutputType, depth: number): boolean {
  const named = getNamedType(type);
  if (!isObjectType(named)) return false;
  if ((STUDENT_RECORD_TYPES as readonly string[]).includes(named.name)) return true;
  if (depth >= 3) return false;
  return Object.values(named.getFields()).some(
    (f) => !f.args.some((a) => isNonNullType(a.type)) && reachesStudentRecord(f.type, depth + 1),
  );
}

/** The operation that asks `field` about `target`, or null when an argument cannot be aimed. */
function operationFor(field: GraphQLField<unknown, unknown>, target: Target): { query: string; variables: Record<string, unknown> } | null {
  const args: GraphQLArgument[] = field.args.filter(
    (a) => isNonNullType(a.type) || /^(schoolId|hospitalId|institutionId|studentId|departmentId)$/.test(a.name),
  );
  const variables: Record<string, unknown> = {};
  for (const a of args) {
    const v = argumentValue(a.name, a.type, field, target);
    if (v === undefined) return null;
    variables[a.name] = v;
  }
  const header = args.length ? `(${args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  return { query: `query Matrix${header} { ${field.name}${call} ${selection(field.type, 1)} }`, variables };
}

/** The rows in an answer that the caller may not see, by the oracle. */
/**
 * Least privilege at hospitals (hole 6): through a placement, only the hospital's coordinators,
 * admins and system account see every student placed there; its instructors and teachers only
 * those of their department or under their supervision, other roles none. The matrix's callers
 * are made-up people (no department, no supervisee, no mentee), so at a host hospital nobody but
 * those hospital-wide roles may see the student.
 */
const HOSPITAL_WIDE: readonly Role[] = ['COORDINATOR', 'INSTITUTION_ADMIN', 'INTEGRATION'];
const reachesThroughHost = (actor: Actor, student: string): boolean =>
  oracle.schoolOf.get(student) === actor.institutionId || actor.roles.some((r) => HOSPITAL_WIDE.includes(r));

function forbiddenRows(caller: Caller, data: unknown): string[] {
  const out: string[] = [];
  for (const { type, id } of typedObjects(data)) {
    if (!(STUDENT_RECORD_TYPES as readonly string[]).includes(type)) continue;
    for (const student of oracle.studentsOf(type as StudentRecordType, id)) {
      const allowed = caller.actor.roles.includes('STUDENT')
        ? student === caller.actor.personId
        : caller.actor.institutionId !== null &&
          oracle.institutionMaySee(caller.actor.institutionId, student) &&
          reachesThroughHost(caller.actor, student);
      if (!allowed) out.push(`${type} ${id} of student ${student}`);
    }
  }
  return out;
}

async function callersAt(institutionId: string, kind: keyof typeof ROLES_AT): Promise<Caller[]> {
  return Promise.all(
    ROLES_AT[kind].map(async (role) => {
      const actor: Actor = { personId: randomUUID(), institutionId, roles: [role] };
      return { label: `${role} at ${kind} ${institutionId.slice(0, 8)}`, actor, token: await tokenFor(actor) };
    }),
  );
}

async function inParallel<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += PARALLEL) results.push(...(await Promise.all(jobs.slice(i, i + PARALLEL).map((j) => j()))));
  return results;
}

describe('the access matrix over the whole supergraph', () => {
  it('no root query field shows any role another institution’s student records it may not see', async () => {
    const [schoolA, schoolB] = world.demo.schools;
    const hosting = (await rowsAbout('rotations', 'SELECT DISTINCT hospital_id FROM placement WHERE school_id = $1', [schoolA!.id])).map(
      (r) => r.hospital_id,
    );
    const hostHospital = world.demo.hospitals.find((h) => hosting.includes(h.id))!;
    const targetA = await targetAt(schoolA!.id);
    const targetB = await targetAt(schoolB!.id);
    // The oracle itself draws the line: the host hospital may see the placed student, the other school may not.
    expect(oracle.institutionMaySee(hostHospital.id, targetA.studentId)).toBe(true);
    expect(oracle.institutionMaySee(schoolB!.id, targetA.studentId)).toBe(false);
    const plan: { caller: Caller; target: Target }[] = [];
    for (const caller of [...(await callersAt(schoolB!.id, 'school')), ...(await callersAt(hostHospital.id, 'hospital'))]) {
      plan.push({ caller, target: targetA });
    }
    for (const caller of await callersAt(schoolA!.id, 'school')) plan.push({ caller, target: targetB });

    // Only the fields whose answer can hold a student record (within the selection's depth) can leak one.
    const fields = Object.values(schema.getQueryType()!.getFields()).filter(
      (f) => !f.name.startsWith('_') && reachesStudentRecord(f.type, 1),
    );
    const asked = new Set<string>();
    let answeredRows = 0;
    const leaks = await inParallel(
      plan.flatMap(({ caller, target }) =>
        fields.map((field) => async () => {
          const op = operationFor(field, target);
          if (!op) return [];
          asked.add(field.name);
          const res = await world.pipeline.supergraph.request(op.query, { token: caller.token, variables: op.variables });
          answeredRows += typedObjects(res.body.data).length;
          return forbiddenRows(caller, res.body.data).map((row) => `${caller.label} → ${field.name}: ${row}`);
        }),
      ),
    );
    expect(leaks.flat().slice(0, 10)).toEqual([]);
    // The matrix must reach the fields that serve student records, and get rows back where they are allowed.
    for (const name of [
      'student',
      'students',
      'placement',
      'placements',
      'assessmentTask',
      'mentorship',
      'developmentGoal',
      'swapRequests',
    ]) {
      expect(asked).toContain(name);
    }
    expect(answeredRows).toBeGreaterThan(0);
  }, 600_000);

  it('no subgraph resolves a student-record entity for a role that may not see it', async () => {
    const [schoolA, schoolB] = world.demo.schools;
    const callers = [
      ...(await callersAt(schoolB!.id, 'school')),
      ...(await Promise.all(world.demo.hospitals.slice(0, 2).map((h) => callersAt(h.id, 'hospital')))).flat(),
      ...(await callersAt(schoolA!.id, 'school')).filter((c) => c.actor.roles.includes('STUDENT')),
    ];
    const entityTypes = subgraphEntityTypes();
    let resolvedWithContent = 0;
    const leaks = await inParallel(
      callers.flatMap((caller) =>
        entityTypes.map(({ service, type, selection: fieldsSelected }) => async () => {
          const representations = oracle.rows[type].map((id) => ({ __typename: type, id }));
          if (representations.length === 0) return [];
          const body = JSON.stringify({
            query: `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} ${fieldsSelected} } }`,
            variables: { r: representations },
          });
          const headers = signActorHeaders(caller.actor, { secret: DEV_INTERNAL_SECRET, requestId: `matrix-${randomUUID()}`, body });
          const res = await fetch(world.pipeline.subgraphs[service]!.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
          });
          const answer = (await res.json()) as { data?: { _entities: (Record<string, unknown> | null)[] } };
          // A reference stub (only its key) reveals nothing; anything more is the record itself.
          const withContent = (answer.data?._entities ?? []).filter(
            (e): e is Record<string, unknown> =>
              e !== null &&
              Object.entries(e).some(([k, v]) => k !== '__typename' && k !== 'id' && v !== null && !(Array.isArray(v) && v.length === 0)),
          );
          resolvedWithContent += withContent.length;
          return forbiddenRows(caller, withContent).map((row) => `${caller.label} → ${service} _entities: ${row}`);
        }),
      ),
    );
    expect(leaks.flat().slice(0, 10)).toEqual([]);
    expect(entityTypes.map((e) => `${e.service}:${e.type}`)).toEqual(
      expect.arrayContaining([
        'network:Student',
        'rotations:Placement',
        'assessment:AssessmentTask',
        'mentorship:Mentorship',
        'mentorship:DevelopmentGoal',
      ]),
    );
    expect(resolvedWithContent).toBeGreaterThan(0);
  }, 600_000);
});

/**
 * Each subgraph's resolvable student-record entity types, with a selection of their fields in
 * that subgraph (leaves without required arguments, and `__typename` of object fields).
 */
function subgraphEntityTypes(): { service: string; type: StudentRecordType; selection: string }[] {
  const out: { service: string; type: StudentRecordType; selection: string }[] = [];
  for (const service of Object.keys(world.pipeline.subgraphs)) {
    const doc = parse(readFileSync(join(__dirname, '../../../services', service, 'schema.graphql'), 'utf8'));
    const objectNames = new Set(
      doc.definitions
        .filter((d) =>
          [Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.UNION_TYPE_DEFINITION, Kind.INTERFACE_TYPE_DEFINITION].includes(
            d.kind as never,
          ),
        )
        .map((d) => (d as ObjectTypeDefinitionNode).name.value),
    );
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const node = def as ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
      const type = node.name.value as StudentRecordType;
      if (!(STUDENT_RECORD_TYPES as readonly string[]).includes(type)) continue;
      const key = node.directives?.find((d) => d.name.value === 'key');
      if (!key || key.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value)) continue;
      const parts = ['__typename', 'id'];
      for (const f of node.fields ?? []) {
        if (f.name.value === 'id' || f.arguments?.some((a) => a.type.kind === Kind.NON_NULL_TYPE)) continue;
        let t = f.type;
        while (t.kind !== Kind.NAMED_TYPE) t = t.type;
        parts.push(objectNames.has(t.name.value) ? `${f.name.value} { __typename }` : f.name.value);
      }
      out.push({ service, type, selection: `{ ${parts.join(' ')} }` });
    }
  }
  return out;
}
