/**
 * Curriculum figures of a program as last published: its teaching-method blend (hours per
 * method and their share of all scheduled teaching) and how far its learning objectives cover
 * each post profile's required competencies (a competency counts as covered when an objective
 * of the program addresses it). Pure, from the published states.
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
  missingCompetencyIds: string[];
}

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
): ProfileCoverage {
  const taught = new Set(programCompetencies);
  const required = [...new Set(profile.competencyIds)].sort();
  const missing = required.filter((c) => !taught.has(c));
  const covered = required.length - missing.length;
  return {
    postProfileId: profile.id,
    title: profile.title,
    required: required.length,
    covered,
    share: required.length ? round3(covered / required.length) : 1,
    missingCompetencyIds: missing,
  };
}
