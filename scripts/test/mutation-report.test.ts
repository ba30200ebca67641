import { isGated, judgeReport, type MutationReport, type ReportMutant, reusedFromLog, summaryLine } from '../mutation-report';

const mutant = (id: string, status: string, line: number, mutatorName = 'ConditionalExpression', replacement = 'true'): ReportMutant => ({
  id,
  mutatorName,
  replacement,
  status,
  location: { start: { line, column: 5 } },
});

const POLICY = 'services/rotations/src/domain/access-policy.ts';
const SWAPS = 'services/rotations/src/domain/swap-rules.ts';

describe('mutation gate: judging a Stryker report', () => {
  it('passes when every mutant of the access and privacy rules is killed or timed out', () => {
    const report: MutationReport = {
      files: {
        [POLICY]: { mutants: [mutant('1', 'Killed', 10), mutant('2', 'Timeout', 12)] },
        'packages/anonymity/src/suppression.ts': { mutants: [mutant('3', 'Killed', 4), mutant('4', 'CompileError', 5)] },
      },
    };
    const verdict = judgeReport(report);
    expect(verdict.failures).toEqual([]);
    expect(verdict).toMatchObject({ gatedFiles: 2, mutants: 4, killed: 3, survived: 0, noCoverage: 0, score: 100 });
  });

  it('fails on a surviving access-policy mutant and on an uncovered release mutant, naming file:line, mutator and replacement', () => {
    const report: MutationReport = {
      files: {
        [POLICY]: {
          mutants: [mutant('2', 'Survived', 42, 'EqualityOperator', 'actor.institutionId !== p.schoolId'), mutant('1', 'Killed', 7)],
        },
        'services/assessment/src/domain/release.ts': { mutants: [mutant('3', 'NoCoverage', 9, 'BooleanLiteral', 'false')] },
      },
    };
    const verdict = judgeReport(report);
    expect(verdict.failures).toEqual([
      'services/assessment/src/domain/release.ts:9:5  BooleanLiteral → false  (NoCoverage)',
      `${POLICY}:42:5  EqualityOperator → actor.institutionId !== p.schoolId  (Survived)`,
    ]);
    expect(verdict).toMatchObject({ mutants: 3, killed: 1, survived: 1, noCoverage: 1 });
    expect(verdict.score).toBeCloseTo(33.33, 2);
  });

  it('reports survivors outside the gated files as notes, not failures', () => {
    const verdict = judgeReport({
      files: { [SWAPS]: { mutants: [mutant('1', 'Survived', 3)] }, [POLICY]: { mutants: [mutant('2', 'Killed', 1)] } },
    });
    expect(verdict.failures).toEqual([]);
    expect(verdict.notes).toEqual([`${SWAPS}:3:5  ConditionalExpression → true  (Survived)`]);
  });

  it('counts no gated file in a report that mutated none of the access and privacy rules', () => {
    expect(judgeReport({ files: { [SWAPS]: { mutants: [mutant('1', 'Killed', 3)] } } }).gatedFiles).toBe(0);
  });

  it('gates every access policy, the release rules, the anonymity rules, the seat capacity rules and the allocation validator, and nothing else', () => {
    expect(['services/network/src/domain/access-policy.ts', 'services/assessment/src/domain/release-over-time.ts'].every(isGated)).toBe(
      true,
    );
    expect(isGated('services/assessment/src/domain/release.ts')).toBe(true);
    expect(isGated('packages/anonymity/src/system.ts')).toBe(true);
    expect(isGated('services/rotations/src/domain/capacity-rules.ts')).toBe(true);
    expect(isGated('packages/allocation/src/check.ts')).toBe(true);
    expect(isGated('packages/allocation/src/run.ts')).toBe(false);
    expect(isGated(SWAPS)).toBe(false);
    expect(isGated('services/network/test/domain/access-policy.test.ts')).toBe(false);
  });

  it('puts a multi-line replacement on one line', () => {
    const verdict = judgeReport({
      files: { [POLICY]: { mutants: [mutant('1', 'Survived', 3, 'BlockStatement', '{\n  return true;\n}')] } },
    });
    expect(verdict.failures).toEqual([`${POLICY}:3:5  BlockStatement → { return true; }  (Survived)`]);
  });

  it('reads the reused count from Stryker incremental log, colours and all', () => {
    expect(reusedFromLog('Incremental report:\n\tResult:\t\t\u001b[93m1260\u001b[39m of 1274 mutant result(s) are reused.')).toBe(1260);
    expect(reusedFromLog('no incremental file found')).toBe(0);
  });

  it('prints one summary line', () => {
    const verdict = judgeReport({ files: { [POLICY]: { mutants: [mutant('1', 'Killed', 1), mutant('2', 'Survived', 2)] } } });
    expect(summaryLine(verdict, 1)).toBe('mutation gate: 2 mutants, 1 reused, 1 killed, 1 survived, 0 without coverage, score 50.00 %');
  });
});
