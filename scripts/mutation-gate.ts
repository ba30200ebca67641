/**
 * `pnpm mutation:gate`: mutation testing of the access and privacy rules as a CI check.
 *
 * Runs StrykerJS (stryker.config.json) in incremental mode: the committed baseline
 * `.stryker/incremental.json` says which mutants the current sources and tests already kill, so
 * only the mutants of changed rules or changed tests are run again. Then reads the JSON report and
 * fails (exit 1), naming file:line, mutator and replacement, for every mutant of an access policy,
 * a release rule, the anonymity rules, the seat rules or the allocation validator that survived or
 * that no test reached (scripts/mutation-report.ts). Prints one summary line: mutants, reused, killed, score.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '@medcollab/kit';
import { judgeReport, type MutationReport, reusedFromLog, summaryLine } from './mutation-report';

const ROOT = join(__dirname, '..');
const REPORT = join(ROOT, 'reports/mutation/mutation.json');
const USAGE = `Usage: pnpm mutation:gate [--concurrency <n>] [--skip-run]

Runs StrykerJS incrementally over the access and privacy rules (reusing the committed
.stryker/incremental.json, so only changed rules and tests are mutated again), then fails when
a mutant of an access policy, a release rule, the anonymity rules, the seat rules or the
allocation validator survived or was not covered by any test, naming each one as file:line,
mutator and replacement.

  --concurrency <n>  Stryker test runner processes (default: stryker.config.json's)
  --skip-run         judge the last report (reports/mutation/mutation.json) without running Stryker

Refresh the baseline after changing a gated rule or its tests: pnpm mutation, then commit
.stryker/incremental.json.`;

function runStryker(concurrency: string | undefined): Promise<{ code: number; log: string }> {
  const args = ['stryker', 'run', ...(concurrency ? ['--concurrency', concurrency] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (chunk: Buffer, to: NodeJS.WriteStream) => {
      log += chunk.toString();
      to.write(chunk);
    };
    child.stdout.on('data', (d: Buffer) => keep(d, process.stdout));
    child.stderr.on('data', (d: Buffer) => keep(d, process.stderr));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, log }));
  });
}

async function main(): Promise<void> {
  const options = parseCommandLine(USAGE, { concurrency: { type: 'string' }, 'skip-run': { type: 'boolean' } });
  let reused = 0;
  if (!options['skip-run']) {
    rmSync(REPORT, { force: true });
    const { code, log } = await runStryker(options.concurrency);
    reused = reusedFromLog(log);
    if (code !== 0) console.error(`mutation gate: stryker exited with ${code}`);
    if (!existsSync(REPORT)) throw new Error(`mutation gate: Stryker wrote no report (${REPORT}); see its output above`);
    if (code !== 0) process.exitCode = 1;
  } else if (!existsSync(REPORT)) {
    throw new Error(`mutation gate: no report at ${REPORT}; run without --skip-run first`);
  }
  const verdict = judgeReport(JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport);
  for (const note of verdict.notes) console.log(`not gated, undetected: ${note}`);
  if (verdict.gatedFiles === 0) {
    console.error('mutation gate: the report holds none of the access and privacy rules (check "mutate" in stryker.config.json)');
    process.exitCode = 1;
  }
  if (verdict.failures.length > 0) {
    console.error(`mutation gate: ${verdict.failures.length} mutant(s) of access and privacy rules went unnoticed by the tests:`);
    for (const failure of verdict.failures) console.error(`  ${failure}`);
    console.error('Write a test that notices each (or, for a truly equivalent mutant, `// Stryker disable next-line <Mutator>: <why>`),');
    console.error('then refresh the baseline: pnpm mutation, and commit .stryker/incremental.json.');
    process.exitCode = 1;
  }
  console.log(summaryLine(verdict, reused));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
