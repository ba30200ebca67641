/**
 * Judges a StrykerJS JSON report (mutation-testing-report-schema) for the mutation gate
 * (scripts/mutation-gate.ts): every mutant of an access or privacy rule that survived, or that no
 * test even reached, is a failure named by file:line, mutator and replacement. Pure: no Stryker
 * run, no file system, so a unit test can show the gate failing.
 */

/** The part of a mutant result the gate reads. */
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

/** The part of a Stryker JSON report the gate reads: mutants by file, paths relative to the repository. */
export interface MutationReport {
  files: Record<string, { mutants: readonly ReportMutant[] }>;
}

/**
 * The files whose surviving mutants fail the gate: who may read or change what (every service's
 * access policy), what is withheld from whom (assessment's release rules), the small-cell
 * suppression that keeps evaluators anonymous (packages/anonymity), the seat rules that keep
 * a department from being promised more students than it has seats (rotations' capacity rules)
 * and the independent validator every allocation run passes before it is published
 * (packages/allocation's check.ts).
 */
export const GATED_FILES: readonly RegExp[] = [
  /^services\/[^/]+\/src\/domain\/access-policy\.ts$/,
  /^services\/assessment\/src\/domain\/release(-over-time)?\.ts$/,
  /^packages\/anonymity\/src\/[^/]+\.ts$/,
  /^services\/rotations\/src\/domain\/capacity-rules\.ts$/,
  /^packages\/allocation\/src\/check\.ts$/,
];

export const isGated = (file: string): boolean => GATED_FILES.some((pattern) => pattern.test(file.replace(/\\/g, '/')));

/** A mutant no test noticed: it survived every covering test, or no test ran its code at all. */
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
/** Detected: a test failed, or the mutant made the tests hang (an infinite loop is caught too). */
const DETECTED = new Set(['Killed', 'Timeout']);

export interface GateVerdict {
  /** One line per undetected mutant in a gated file: `file:line:column  Mutator → replacement  (status)`. */
  failures: string[];
  /** Undetected mutants outside the gated files: printed, not failing. */
  notes: string[];
  /** How many gated files the report holds (a report without any proves nothing). */
  gatedFiles: number;
  mutants: number;
  killed: number;
  survived: number;
  noCoverage: number;
  /** Detected ÷ (detected + undetected), in percent; compile and runtime errors count in neither. */
  score: number;
}

const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
};

const describe = (file: string, m: ReportMutant): string =>
  `${file}:${m.location.start.line}:${m.location.start.column}  ${m.mutatorName} → ${oneLine(m.replacement ?? m.mutatorName)}  (${m.status})`;

export function judgeReport(report: MutationReport): GateVerdict {
  const failures: string[] = [];
  const notes: string[] = [];
  let mutants = 0;
  let killed = 0;
  let survived = 0;
  let noCoverage = 0;
  for (const file of Object.keys(report.files).sort()) {
    const sorted = [...report.files[file]!.mutants].sort(
      (a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
    );
    for (const m of sorted) {
      mutants++;
      if (DETECTED.has(m.status)) killed++;
      if (m.status === 'Survived') survived++;
      if (m.status === 'NoCoverage') noCoverage++;
      if (UNDETECTED.has(m.status)) (isGated(file) ? failures : notes).push(describe(file, m));
    }
  }
  const judged = killed + survived + noCoverage;
  const score = judged === 0 ? 100 : (killed / judged) * 100;
  const gatedFiles = Object.keys(report.files).filter(isGated).length;
  return { failures, notes, gatedFiles, mutants, killed, survived, noCoverage, score };
}

/** The count Stryker logs in incremental mode ("N of M mutant result(s) are reused"); 0 when it ran everything. */
export function reusedFromLog(log: string): number {
  // eslint-disable-next-line no-control-regex -- terminal colour codes start with ESC
  const plain = log.replace(/\u001b\[[0-9;]*m/g, '');
  const match = /(\d+) of \d+ mutant result\(s\) are reused/.exec(plain);
  return match ? Number(match[1]) : 0;
}

/** The summary line CI prints. */
export const summaryLine = (v: GateVerdict, reused: number): string =>
  `mutation gate: ${v.mutants} mutants, ${reused} reused, ${v.killed} killed, ${v.survived} survived, ${v.noCoverage} without coverage, score ${v.score.toFixed(2)} %`;
