import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCommandLine } from '@medcollab/kit';

const USAGE = `Usage: pnpm test:durations [--from <jest --json output>]

Records how long each test file took (seconds) in jest.durations.json, from which jest.sequencer.js
starts the longest files first. --from defaults to .jest-results.json, what .ci/run writes; any
run's output serves (\`pnpm exec jest --ci --json --outputFile=<file>\`): only the files' relative
lengths matter, so a run on a loaded machine orders as well as one on an idle machine.`;

interface JestJson {
  testResults: { name: string; startTime: number; endTime: number }[];
}

const root = join(__dirname, '..');
const { from = '.jest-results.json' } = parseCommandLine(USAGE, { from: { type: 'string' } });
const results = JSON.parse(readFileSync(from, 'utf8')) as JestJson;
const files = Object.fromEntries(
  results.testResults
    .map((r) => [relative(root, r.name), Math.round((r.endTime - r.startTime) / 100) / 10] as const)
    .sort(([a], [b]) => a.localeCompare(b)),
);
writeFileSync(join(root, 'jest.durations.json'), `${JSON.stringify({ from: 'pnpm test:durations', files }, null, 2)}\n`);
console.log(`jest.durations.json: ${Object.keys(files).length} files`);
