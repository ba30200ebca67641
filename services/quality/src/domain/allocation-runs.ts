/**
 * What a quality officer reads about an allocation run (ADR 0030, point 7): not its id but its
 * school's academic year, its place among that year's publications and its variation — "2026-2027 ·
 * run 2 · optimal" — when it was published, and whether (and by which run) it was superseded. A
 * pure function of rotations' AllocationRunPublished / AllocationRunSuperseded events of the
 * runs' schools, which quality keeps in its history: nothing here is rebuilt, so incremental and
 * rebuilt figures name runs the same way.
 */
export interface RunEventRow {
  runId: string;
  type: string;
  sequence: number;
  schoolId: string | null;
  academicYear: string | null;
  variation: string | null;
  at: string | null;
  supersededBy: string | null;
}

export interface AllocationRunInfo {
  runId: string;
  schoolId: string;
  academicYear: string | null;
  variation: string;
  /** 1 for the school's first publication of the academic year, 2 for the next, … */
  ordinal: number;
  name: string;
  publishedAt: Date;
  superseded: boolean;
  supersededAt: Date | null;
  supersededByName: string | null;
}

const nameOf = (academicYear: string | null, ordinal: number, variation: string): string =>
  `${academicYear ?? 'No academic year'} · run ${ordinal} · ${variation.toLowerCase()}`;

/** Every published run the events describe, named; runs without a publication are left out. */
export function describeRuns(events: readonly RunEventRow[]): Map<string, AllocationRunInfo> {
  const published = new Map<string, RunEventRow>();
  const superseded = new Map<string, RunEventRow>();
  for (const e of [...events].sort((a, b) => a.sequence - b.sequence)) {
    if (e.type === 'AllocationRunPublished') published.set(e.runId, e);
    else if (e.type === 'AllocationRunSuperseded' && !superseded.has(e.runId)) superseded.set(e.runId, e);
  }
  // Ordinals per school and academic year, by publication time (then id, so ties are stable).
  const groups = new Map<string, RunEventRow[]>();
  for (const p of published.values()) {
    const key = `${p.schoolId}|${p.academicYear ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out = new Map<string, AllocationRunInfo>();
  for (const runs of groups.values()) {
    runs.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.runId.localeCompare(b.runId));
    runs.forEach((p, i) => {
      const variation = p.variation ?? 'OPTIMAL';
      const s = superseded.get(p.runId);
      out.set(p.runId, {
        runId: p.runId,
        schoolId: p.schoolId ?? '',
        academicYear: p.academicYear,
        variation,
        ordinal: i + 1,
        name: nameOf(p.academicYear, i + 1, variation),
        publishedAt: new Date(p.at ?? 0),
        superseded: !!s,
        supersededAt: s?.at ? new Date(s.at) : null,
        supersededByName: null,
      });
    });
  }
  for (const [runId, s] of superseded) {
    const run = out.get(runId);
    const by = s.supersededBy ? out.get(s.supersededBy) : undefined;
    if (run && by) run.supersededByName = by.name;
  }
  return out;
}
