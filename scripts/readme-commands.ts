/**
 * Runs the commands README.md shows, as written, so the README cannot drift from the code
 * (CI runs this after the test suite). Every `sh` block line is either run or named in
 * RUN_ELSEWHERE with the reason; a new line nobody handles fails the check.
 *
 *   pnpm readme:check
 *
 * `pnpm install && pnpm start` is started in its own process group; once it prints that the
 * system is up, the token and curl examples run against it (placeholders such as
 * `<institution id>` are filled from the running demo), then everything is stopped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '@medcollab/kit';

const ROOT = join(__dirname, '..');
const USAGE = `Usage: pnpm readme:check

Runs every command README.md shows, as written, against a freshly started system, and fails
when one does not work.`;

/** README lines another CI step runs, and why they are not run twice. */
const RUN_ELSEWHERE: Record<string, string> = {
  'TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 pnpm test':
    '.ci/run runs it as the test step',
};

/** The scripts whose `--help` the README promises. */
const HELP = ['pnpm seed --help', 'pnpm migrate --help', 'pnpm mint-token --help', 'pnpm compose --help', 'pnpm events:replay --help'];

function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  // A trailing backslash continues the command on the next line.
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  );
}

function run(command: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; out: string } {
  const result = spawnSync('bash', ['-c', command], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
  // pnpm prints its own "$ command" header on stderr; what a command prints for the user is stdout.
  return { status: result.status, stdout: result.stdout, out: `${result.stdout}${result.stderr}` };
}

function fail(message: string): never {
  throw new Error(message);
}

const COORDINATOR_TOKEN = /coordinator token:\s*\n\s*(\S+)/;

/** How long the started system's processes get to stop after SIGTERM before the group is killed. */
const STOP_GRACE_MS = 20_000;

/**
 * The live processes of a group, from /proc: a zombie (exited, not yet reaped by an init that
 * may never reap it) is not alive. Where there is no /proc, signal 0 asks the kernel instead.
 */
function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // After the command's closing parenthesis: state, ppid, pgrp.
        const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(pgrp) === pgid && state !== 'Z';
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/**
 * Stops every process of the start command's group: SIGTERM, then SIGKILL to whatever is still
 * there after the grace. It waits for the group, not for its leader: the shell exits as soon as
 * pnpm does, while a worker may still be shutting down (CI once found a quality worker running
 * after this check had finished).
 */
async function stopGroup(pgid: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pgid, s);
    } catch {
      // the group is gone
    }
  };
  const gone = async (ms: number) => {
    for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200)))
      if (!groupMembers(pgid).length) return true;
    return !groupMembers(pgid).length;
  };
  signal('SIGTERM');
  if (await gone(STOP_GRACE_MS)) return;
  console.log(`processes ${groupMembers(pgid).join(', ')} of the started system still ran ${STOP_GRACE_MS / 1000} s after SIGTERM: killed`);
  signal('SIGKILL');
  if (!(await gone(5_000))) throw new Error(`processes ${groupMembers(pgid).join(', ')} of the started system outlived SIGKILL`);
}

/** Starts `line` (the start command) and resolves with its output once the system says it is up. */
function startSystem(line: string): Promise<{ output: () => string; stop: () => Promise<void> }> {
  const child = spawn('bash', ['-c', line], { cwd: ROOT, env: { ...process.env, CI: 'true' }, detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const stop = () => stopGroup(child.pid!);
  let up = false;
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      void stop().then(() => reject(new Error(`\`${line}\` did not report the system up within 5 minutes:\n${output.slice(-4000)}`)));
    }, 300_000);
    const poll = setInterval(() => {
      // The tokens are printed before the "up" line; both must have arrived (they can come in separate chunks).
      if (output.includes('MedCollab is up') && COORDINATOR_TOKEN.test(output)) {
        clearTimeout(deadline);
        clearInterval(poll);
        up = true;
        resolve({ output: () => output, stop });
      }
    }, 250);
    child.once('exit', (code) => {
      if (up) return; // stopped by the caller, which waits for the whole group itself
      clearTimeout(deadline);
      clearInterval(poll);
      // Whatever the start command left running in its process group goes too.
      void stop().then(() => reject(new Error(`\`${line}\` exited (${code}) before the system was up:\n${output.slice(-4000)}`)));
    });
  });
}

/**
 * The demo coordinator's institution, asked through the gateway. Retried for a minute: on a busy
 * machine the first requests after start-up can time out while the subgraphs warm up.
 */
async function demoInstitutionId(token: string): Promise<string> {
  let last = '';
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 2_000))) {
    try {
      const response = await fetch('http://127.0.0.1:4000/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'query { viewer { institution { id } } }' }),
      });
      last = await response.text();
      const id = (JSON.parse(last) as { data?: { viewer?: { institution?: { id: string } } } }).data?.viewer?.institution?.id;
      if (id) return id;
    } catch (error) {
      last = (error as Error).message;
    }
  }
  return fail(`the demo coordinator's institution could not be read through the gateway; last answer:\n${last}`);
}

async function main(): Promise<void> {
  parseCommandLine(USAGE, {});
  const commands = readmeCommands();
  const start = commands.find((c) => /pnpm start$/.test(c)) ?? fail('README shows no command that starts the system');
  const handled = new Set([start, ...Object.keys(RUN_ELSEWHERE)]);

  for (const help of HELP) {
    const { status, out } = run(help);
    if (status !== 0 || !out.includes('Usage:')) fail(`\`${help}\` did not print its usage (exit ${status}):\n${out}`);
    console.log(`ok  ${help}`);
  }

  console.log(`... ${start}`);
  const system = await startSystem(start);
  try {
    const coordinatorToken = COORDINATOR_TOKEN.exec(system.output())?.[1] ?? fail('the start command printed no coordinator token');
    console.log(`ok  ${start}`);
    const institutionId = await demoInstitutionId(coordinatorToken);

    for (const line of commands.filter((c) => !handled.has(c))) {
      // Optional parts in [brackets] are left out; <placeholders> are filled from the running demo.
      const concrete = line.replace(/\s*\[[^\]]*\]/g, '').replace(/<institution id>/g, institutionId);
      if (/<[^>]+>/.test(concrete.replace(/<<|>>/g, ''))) fail(`README command has a placeholder this check cannot fill: ${line}`);
      const { status, stdout, out } = run(concrete, { TOKEN: coordinatorToken });
      if (status !== 0) fail(`\`${line}\` failed (exit ${status}):\n${out}`);
      if (line.startsWith('curl')) {
        const body = JSON.parse(stdout) as { data?: unknown; errors?: unknown[] };
        if (body.errors?.length || !body.data) fail(`\`${line}\` answered errors:\n${out}`);
      }
      if (line.startsWith('pnpm mint-token')) {
        const token = stdout.trim().split('\n').at(-1) ?? '';
        if (token.split('.').length !== 3) fail(`\`${line}\` did not print a token as its last line:\n${out}`);
      }
      console.log(`ok  ${line}`);
    }
    for (const [line, why] of Object.entries(RUN_ELSEWHERE)) console.log(`--  ${line} (${why})`);
  } finally {
    await system.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
