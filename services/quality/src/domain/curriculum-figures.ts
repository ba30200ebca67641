import { subtree } from '@medcollab/kit';

/**
 * Curriculum figures of a program's publication: its teaching-method blend (hours per
 * method and their share of all scheduled teaching) and how far its learning objectives cover
 * each post profile's required competencies, for the program and for each of its modules. A
 * required competency counts as covered when an objective addresses it or any competency beneath
 * it in its framework (the rule assessment's readiness uses for evidence: teaching a profile's
 * "Situation awareness" through its three elements covers it). Pure, from the published states.
 */
export interface MethodShare {
  method: string;
  hours: number;
  share: number;
}

export interface ProfileCoverage {
  postProfileId: string;
  title: string;
  required: number;
  covered: number;
  /** covered / required (1 for a profile that requires nothing). */
  share: number;
  /** Of the covered, those no objective addresses directly, only through competencies beneath them. */
  coveredBySubCompetencies: number;
  missingCompetencyIds: string[];
}

/** A competency framework's hierarchy: each competency's parent (null at the top). */
export type ParentOf = ReadonlyMap<string, string | null>;
const NO_HIERARCHY: ParentOf = new Map();

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function methodBlend(minutes: readonly { method: string; minutes: number }[]): MethodShare[] {
  const total = minutes.reduce((s, m) => s + m.minutes, 0);
  return [...minutes]
    .filter((m) => m.minutes > 0)
    .sort((a, b) => b.minutes - a.minutes || a.method.localeCompare(b.method))
    .map((m) => ({ method: m.method, hours: round3(m.minutes / 60), share: round3(m.minutes / total) }));
}

export function profileCoverage(
  programCompetencies: readonly string[],
  profile: { id: string; title: string; competencyIds: readonly string[] },
  parentOf: ParentOf = NO_HIERARCHY,
): ProfileCoverage {
  const taught = new Set(programCompetencies);
  const required = [...new Set(profile.competencyIds)].sort();
  const beneath = required.filter((c) => !taught.has(c) && [...subtree(c, parentOf)].some((d) => taught.has(d)));
  const missing = required.filter((c) => !taught.has(c) && !beneath.includes(c));
  const covered = required.length - missing.length;
  return {
    postProfileId: profile.id,
    title: profile.title,
    required: required.length,
    covered,
    share: required.length ? round3(covered / required.length) : 1,
    coveredBySubCompetencies: beneath.length,
    missingCompetencyIds: missing,
  };
}

export interface CurriculumProfile {
  id: string;
  title: string;
  competencyIds: string[];
}

/** What a publication (ProgramPublished, whole) holds. */
export interface PublishedContent {
  title: string;
  competencyIds: readonly string[];
  teachingMinutes: readonly { method: string; minutes: number }[];
}

/** The figures of one body of teaching (a program or a module): hours, blend, competencies, coverage. */
export function contentFigures(content: PublishedContent, profiles: readonly CurriculumProfile[], parentOf: ParentOf = NO_HIERARCHY) {
  const minutes = content.teachingMinutes.reduce((s, m) => s + m.minutes, 0);
  return {
    title: content.title,
    teachingHours: round3(minutes / 60),
    methodBlend: methodBlend(content.teachingMinutes),
    competencies: new Set(content.competencyIds).size,
    profileCoverage: profiles.map((profile) => profileCoverage(content.competencyIds, profile, parentOf)),
  };
}

/** A program publication's figures, with each module's (the drill-down program → module). */
export function curriculumFigures(
  program: PublishedContent & {
    sequence: number;
    publishedAt: Date;
    modules?: readonly (PublishedContent & { moduleId: string })[] | null;
  },
  profiles: readonly CurriculumProfile[],
  parentOf: ParentOf = NO_HIERARCHY,
) {
  return {
    ...contentFigures(program, profiles, parentOf),
    version: program.sequence,
    publishedAt: program.publishedAt,
    modules: (program.modules ?? []).map((m) => ({ moduleId: m.moduleId, ...contentFigures(m, profiles, parentOf) })),
  };
}
