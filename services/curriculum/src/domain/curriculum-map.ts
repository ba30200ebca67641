import { findCycles } from './graph';
import {
  type CurriculumItemType,
  DELIVERY_MODES,
  type DeliveryMode,
  type Discipline,
  INTEGRITY_ISSUE_KINDS,
  type IntegrityIssueKind,
  TEACHING_METHODS,
  type TeachingMethod,
} from './model';

/**
 * The curriculum map of a program against a post profile: which competencies the program
 * addresses, where and how; which required competencies it never addresses; what is
 * structurally wrong with it; and its blend of teaching methods and delivery modes.
 * Pure: the caller loads the program once (a constant number of statements) and asks here.
 */

export interface MapModule {
  id: string;
  code: string;
  title: string;
  disciplines: readonly { discipline: Discipline; hours: number }[];
  prerequisiteIds: readonly string[];
}

export interface MapObjective {
  id: string;
  moduleId: string;
  statement: string;
  competencyIds: readonly string[];
}

export interface MapSession {
  id: string;
  moduleId: string;
  title: string;
  method: TeachingMethod;
  delivery: DeliveryMode;
  durationMinutes: number;
  objectiveIds: readonly string[];
}

/** What the map needs to know of a competency: its place in its framework's hierarchy and its sort key. */
export interface MapCompetency {
  id: string;
  code: string;
  frameworkId: string;
  parentId: string | null;
}

export interface ProgramGraph {
  modules: readonly MapModule[];
  objectives: readonly MapObjective[];
  sessions: readonly MapSession[];
}

export interface Requirement {
  competencyId: string;
  level: number;
}

export interface CompetencyCoverage {
  competencyId: string;
  /** The level the post profile requires, when it requires this competency. */
  requiredLevel: number | null;
  moduleIds: string[];
  objectiveIds: string[];
  sessionIds: string[];
  /** Hours of the sessions that address the competency (each session counted once). */
  hours: number;
  methods: TeachingMethod[];
}

export interface IntegrityIssue {
  kind: IntegrityIssueKind;
  subjectType: CurriculumItemType;
  subjectId: string;
  subjectLabel: string;
  message: string;
  /** Other items involved: the unknown prerequisite, the modules of a cycle in order. */
  relatedIds: string[];
}

export interface Share<K> {
  key: K;
  hours: number;
  /** hours / all session hours, 0..1 (0 when the program has no sessions). */
  share: number;
}

export interface Blend {
  byMethod: Share<TeachingMethod>[];
  byDelivery: Share<DeliveryMode>[];
  totalHours: number;
}

export interface CurriculumMap {
  coverage: CompetencyCoverage[];
  /** Required by the profile and addressed by no objective (of the competency or of any competency beneath it). */
  uncoveredCompetencyIds: string[];
  integrityIssues: IntegrityIssue[];
  blend: Blend;
  totalDisciplineHours: number;
}

/** Hours shown to people: two decimals are plenty and keep 0.1 + 0.2 from showing up. */
export const roundHours = (hours: number): number => Math.round(hours * 100) / 100;
const hoursOf = (minutes: number): number => minutes / 60;

/** The competency and every ancestor, nearest first (stops on a loop or an unknown parent). */
function selfAndAncestors(id: string, competencies: ReadonlyMap<string, MapCompetency>): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let current: string | null = id; current !== null && !seen.has(current); current = competencies.get(current)?.parentId ?? null) {
    seen.add(current);
    chain.push(current);
  }
  return chain;
}

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Frameworks keep together, codes in natural order (EPA 2 before EPA 10); unknown ids last. */
function byFrameworkAndCode(competencies: ReadonlyMap<string, MapCompetency>) {
  return (a: string, b: string): number => {
    const ca = competencies.get(a);
    const cb = competencies.get(b);
    if (!ca || !cb) return ca ? -1 : cb ? 1 : a.localeCompare(b);
    return ca.frameworkId.localeCompare(cb.frameworkId) || naturalOrder.compare(ca.code, cb.code);
  };
}

export function computeCurriculumMap(
  graph: ProgramGraph,
  requirements: readonly Requirement[] | null,
  competencies: ReadonlyMap<string, MapCompetency>,
): CurriculumMap {
  const objectivesById = new Map(graph.objectives.map((o) => [o.id, o]));
  // Objectives credited to each competency: mapped to it directly or to one beneath it.
  const credited = new Map<string, Set<string>>();
  for (const objective of graph.objectives) {
    for (const competencyId of objective.competencyIds) {
      for (const target of selfAndAncestors(competencyId, competencies)) {
        const set = credited.get(target) ?? new Set<string>();
        set.add(objective.id);
        credited.set(target, set);
      }
    }
  }
  const sessionsByObjective = new Map<string, MapSession[]>();
  for (const session of graph.sessions) {
    for (const objectiveId of session.objectiveIds)
      sessionsByObjective.set(objectiveId, [...(sessionsByObjective.get(objectiveId) ?? []), session]);
  }

  const required = new Map((requirements ?? []).map((r) => [r.competencyId, r.level]));
  const directlyMapped = new Set(graph.objectives.flatMap((o) => o.competencyIds));
  const rows = [...new Set([...directlyMapped, ...required.keys()])].sort(byFrameworkAndCode(competencies));
  const moduleOrder = new Map(graph.modules.map((m, i) => [m.id, i]));
  const sessionOrder = new Map(graph.sessions.map((s, i) => [s.id, i]));

  const coverage = rows.map((competencyId): CompetencyCoverage => {
    const objectiveIds = [...(credited.get(competencyId) ?? [])].sort((a, b) => a.localeCompare(b));
    const sessions = new Map<string, MapSession>();
    for (const objectiveId of objectiveIds) for (const s of sessionsByObjective.get(objectiveId) ?? []) sessions.set(s.id, s);
    const moduleIds = new Set<string>();
    for (const objectiveId of objectiveIds) moduleIds.add((objectivesById.get(objectiveId) as MapObjective).moduleId);
    for (const s of sessions.values()) moduleIds.add(s.moduleId);
    const methods = new Set([...sessions.values()].map((s) => s.method));
    return {
      competencyId,
      requiredLevel: required.get(competencyId) ?? null,
      moduleIds: [...moduleIds].sort((a, b) => (moduleOrder.get(a) ?? 0) - (moduleOrder.get(b) ?? 0)),
      objectiveIds,
      sessionIds: [...sessions.keys()].sort((a, b) => (sessionOrder.get(a) ?? 0) - (sessionOrder.get(b) ?? 0)),
      hours: roundHours([...sessions.values()].reduce((sum, s) => sum + hoursOf(s.durationMinutes), 0)),
      methods: TEACHING_METHODS.filter((m) => methods.has(m)),
    };
  });

  return {
    coverage,
    uncoveredCompetencyIds: coverage.filter((c) => c.requiredLevel !== null && c.objectiveIds.length === 0).map((c) => c.competencyId),
    integrityIssues: integrityIssues(graph),
    blend: blendOf(graph.sessions),
    totalDisciplineHours: roundHours(graph.modules.reduce((sum, m) => sum + m.disciplines.reduce((s, d) => s + d.hours, 0), 0)),
  };
}

/** Structural problems of a program, in the order of INTEGRITY_ISSUE_KINDS, then as the items are ordered. */
export function integrityIssues(graph: ProgramGraph): IntegrityIssue[] {
  const issues: IntegrityIssue[] = [];
  const modulesById = new Map(graph.modules.map((m) => [m.id, m]));
  const moduleLabel = (id: string) => modulesById.get(id)?.code ?? id;
  const objectivesPerModule = new Set(graph.objectives.map((o) => o.moduleId));

  for (const objective of graph.objectives) {
    if (objective.competencyIds.length === 0) {
      issues.push({
        kind: 'OBJECTIVE_WITHOUT_COMPETENCY',
        subjectType: 'OBJECTIVE',
        subjectId: objective.id,
        subjectLabel: objective.statement,
        message: `Objective "${objective.statement}" of module ${moduleLabel(objective.moduleId)} is mapped to no competency`,
        relatedIds: [objective.moduleId],
      });
    }
  }
  for (const module of graph.modules) {
    if (!objectivesPerModule.has(module.id)) {
      issues.push({
        kind: 'MODULE_WITHOUT_OBJECTIVE',
        subjectType: 'MODULE',
        subjectId: module.id,
        subjectLabel: module.code,
        message: `Module ${module.code} (${module.title}) has no learning objective`,
        relatedIds: [],
      });
    }
  }
  for (const session of graph.sessions) {
    if (session.objectiveIds.length === 0) {
      issues.push({
        kind: 'SESSION_WITHOUT_OBJECTIVE',
        subjectType: 'SESSION',
        subjectId: session.id,
        subjectLabel: session.title,
        message: `Session "${session.title}" of module ${moduleLabel(session.moduleId)} serves no learning objective`,
        relatedIds: [session.moduleId],
      });
    }
  }
  for (const module of graph.modules) {
    for (const d of module.disciplines) {
      if (d.hours === 0) {
        issues.push({
          kind: 'DISCIPLINE_ZERO_HOURS',
          subjectType: 'MODULE',
          subjectId: module.id,
          subjectLabel: module.code,
          message: `Module ${module.code} lists ${d.discipline} with 0 hours`,
          relatedIds: [],
        });
      }
    }
  }
  const prerequisiteGraph = new Map(graph.modules.map((m) => [m.id, [...m.prerequisiteIds]]));
  for (const module of graph.modules) {
    for (const prerequisiteId of module.prerequisiteIds) {
      if (!modulesById.has(prerequisiteId)) {
        issues.push({
          kind: 'UNKNOWN_PREREQUISITE',
          subjectType: 'MODULE',
          subjectId: module.id,
          subjectLabel: module.code,
          message: `Module ${module.code} requires ${prerequisiteId}, which is not a module of this program`,
          relatedIds: [prerequisiteId],
        });
      }
    }
  }
  for (const cycle of findCycles(prerequisiteGraph)) {
    const first = cycle[0] as string;
    issues.push({
      kind: 'CYCLIC_PREREQUISITE',
      subjectType: 'MODULE',
      subjectId: first,
      subjectLabel: moduleLabel(first),
      message: `Prerequisites form a cycle: ${cycle.map(moduleLabel).join(' → ')}`,
      relatedIds: cycle.slice(0, -1),
    });
  }
  const rank = new Map(INTEGRITY_ISSUE_KINDS.map((k, i) => [k, i]));
  // Stable sort: within a kind, items keep the program's order.
  return issues.sort((a, b) => (rank.get(a.kind) ?? 0) - (rank.get(b.kind) ?? 0));
}

/** Share of session hours per teaching method (methods in use) and per delivery mode (both, always). */
export function blendOf(sessions: readonly MapSession[]): Blend {
  const total = sessions.reduce((sum, s) => sum + hoursOf(s.durationMinutes), 0);
  const share = (hours: number) => (total > 0 ? Math.round((hours / total) * 10_000) / 10_000 : 0);
  const sum = (pick: (s: MapSession) => boolean) => sessions.filter(pick).reduce((acc, s) => acc + hoursOf(s.durationMinutes), 0);
  const used = new Set(sessions.map((s) => s.method));
  return {
    byMethod: TEACHING_METHODS.filter((m) => used.has(m)).map((key) => {
      const hours = sum((s) => s.method === key);
      return { key, hours: roundHours(hours), share: share(hours) };
    }),
    byDelivery: DELIVERY_MODES.map((key) => {
      const hours = sum((s) => s.delivery === key);
      return { key, hours: roundHours(hours), share: share(hours) };
    }),
    totalHours: roundHours(total),
  };
}
