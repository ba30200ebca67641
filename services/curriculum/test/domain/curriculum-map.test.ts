import {
  blendOf,
  computeCurriculumMap,
  type MapCompetency,
  type MapModule,
  type MapObjective,
  type MapSession,
  type ProgramGraph,
} from '../../src/domain/curriculum-map';

const competencies = new Map<string, MapCompetency>(
  [
    { id: 'c-role', code: 'ME', frameworkId: 'f1', parentId: null },
    { id: 'c-me2', code: 'ME2', frameworkId: 'f1', parentId: 'c-role' },
    { id: 'c-me10', code: 'ME10', frameworkId: 'f1', parentId: 'c-role' },
    { id: 'c-tw', code: 'TW', frameworkId: 'f2', parentId: null },
    { id: 'c-gap', code: 'GAP', frameworkId: 'f2', parentId: null },
  ].map((c) => [c.id, c]),
);

const mod = (id: string, extra: Partial<MapModule> = {}): MapModule => ({
  id,
  code: id.toUpperCase(),
  title: `Module ${id}`,
  disciplines: [{ discipline: 'PHYSIOLOGY', hours: 10 }],
  prerequisiteIds: [],
  ...extra,
});
const objective = (id: string, moduleId: string, competencyIds: string[]): MapObjective => ({
  id,
  moduleId,
  statement: `Objective ${id}`,
  competencyIds,
});
const session = (id: string, moduleId: string, objectiveIds: string[], extra: Partial<MapSession> = {}): MapSession => ({
  id,
  moduleId,
  title: `Session ${id}`,
  method: 'LECTURE',
  delivery: 'OFFLINE',
  durationMinutes: 60,
  objectiveIds,
  ...extra,
});

const program: ProgramGraph = {
  modules: [mod('m1'), mod('m2', { prerequisiteIds: ['m1'] }), mod('m3', { disciplines: [{ discipline: 'PHARMACOLOGY', hours: 0 }] })],
  objectives: [objective('o1', 'm1', ['c-me2']), objective('o2', 'm2', ['c-me2', 'c-tw']), objective('o3', 'm2', [])],
  sessions: [
    session('s1', 'm1', ['o1'], { durationMinutes: 90 }),
    session('s2', 'm2', ['o2'], { method: 'PBL', delivery: 'ONLINE', durationMinutes: 120 }),
    session('s3', 'm2', ['o1', 'o2'], { method: 'SIMULATION', durationMinutes: 30 }),
    session('s4', 'm2', [], { method: 'LECTURE', durationMinutes: 60 }),
  ],
};

describe('computeCurriculumMap', () => {
  const map = computeCurriculumMap(
    program,
    [
      { competencyId: 'c-role', level: 3 },
      { competencyId: 'c-gap', level: 2 },
    ],
    competencies,
  );

  it('lists the modules, objectives, sessions, hours and methods that address each competency, counting a session once', () => {
    const me2 = map.coverage.find((c) => c.competencyId === 'c-me2');
    expect(me2).toEqual({
      competencyId: 'c-me2',
      requiredLevel: null,
      moduleIds: ['m1', 'm2'],
      objectiveIds: ['o1', 'o2'],
      sessionIds: ['s1', 's2', 's3'],
      hours: 4,
      methods: ['LECTURE', 'PBL', 'SIMULATION'],
    });
    expect(map.coverage.find((c) => c.competencyId === 'c-tw')).toMatchObject({ moduleIds: ['m2'], sessionIds: ['s2', 's3'], hours: 2.5 });
  });

  it('credits a required parent with what is mapped to the competencies beneath it', () => {
    expect(map.coverage.find((c) => c.competencyId === 'c-role')).toMatchObject({ requiredLevel: 3, objectiveIds: ['o1', 'o2'], hours: 4 });
  });

  it('reports required competencies that nothing addresses, and orders rows by framework and natural code', () => {
    expect(map.uncoveredCompetencyIds).toEqual(['c-gap']);
    expect(map.coverage.map((c) => c.competencyId)).toEqual(['c-role', 'c-me2', 'c-gap', 'c-tw']);
  });

  it('reports every integrity issue kind, by kind', () => {
    const cyclic: ProgramGraph = {
      ...program,
      modules: [mod('a', { prerequisiteIds: ['b'] }), mod('b', { prerequisiteIds: ['a', 'ghost'] }), ...program.modules],
    };
    const issues = computeCurriculumMap(cyclic, null, competencies).integrityIssues;
    expect(issues.map((i) => [i.kind, i.subjectId])).toEqual([
      ['OBJECTIVE_WITHOUT_COMPETENCY', 'o3'],
      ['MODULE_WITHOUT_OBJECTIVE', 'a'],
      ['MODULE_WITHOUT_OBJECTIVE', 'b'],
      ['MODULE_WITHOUT_OBJECTIVE', 'm3'],
      ['SESSION_WITHOUT_OBJECTIVE', 's4'],
      ['DISCIPLINE_ZERO_HOURS', 'm3'],
      ['UNKNOWN_PREREQUISITE', 'b'],
      ['CYCLIC_PREREQUISITE', 'a'],
    ]);
    expect(issues.at(-1)).toMatchObject({ message: 'Prerequisites form a cycle: A → B → A', relatedIds: ['a', 'b'] });
    expect(issues.find((i) => i.kind === 'DISCIPLINE_ZERO_HOURS')?.message).toContain('PHARMACOLOGY');
  });

  it('computes the blend of methods and delivery modes by hours', () => {
    expect(map.blend).toEqual({
      byMethod: [
        { key: 'LECTURE', hours: 2.5, share: 0.5 },
        { key: 'PBL', hours: 2, share: 0.4 },
        { key: 'SIMULATION', hours: 0.5, share: 0.1 },
      ],
      byDelivery: [
        { key: 'ONLINE', hours: 2, share: 0.4 },
        { key: 'OFFLINE', hours: 3, share: 0.6 },
      ],
      totalHours: 5,
    });
    expect(map.totalDisciplineHours).toBe(20);
  });

  it('maps an empty program without dividing by zero', () => {
    const empty = computeCurriculumMap({ modules: [], objectives: [], sessions: [] }, [{ competencyId: 'c-tw', level: 1 }], competencies);
    expect(empty.uncoveredCompetencyIds).toEqual(['c-tw']);
    expect(blendOf([])).toEqual({
      byMethod: [],
      byDelivery: [
        { key: 'ONLINE', hours: 0, share: 0 },
        { key: 'OFFLINE', hours: 0, share: 0 },
      ],
      totalHours: 0,
    });
  });
});
