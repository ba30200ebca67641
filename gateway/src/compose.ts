import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkSupergraph,
  composeSupergraph,
  readCommittedSupergraph,
  readServiceSubgraphs,
  REPO_ROOT,
  SUPERGRAPH_FILE,
} from './composition';
import { parseCommandLine } from '@medcollab/kit';

const USAGE = `Usage: pnpm compose [--check]

Composes services/<name>/schema.graphql into gateway/supergraph.graphql.
--check fails (exit 1) when they do not compose or the committed file is stale.`;

/**
 * `pnpm compose`: composes services/<name>/schema.graphql into gateway/supergraph.graphql.
 * `pnpm compose --check`: fails (exit 1) when they do not compose or the committed file is stale.
 */
function main(): void {
  const args = parseCommandLine(USAGE, { check: { type: 'boolean', default: false } });
  const subgraphs = readServiceSubgraphs();
  const names = subgraphs.map((s) => s.name).join(', ');
  const relative = path.relative(REPO_ROOT, SUPERGRAPH_FILE);

  if (args.check) {
    const result = checkSupergraph(subgraphs, readCommittedSupergraph());
    if (!result.ok) throw new Error(result.message);
    console.log(`${relative} is up to date (${names}).`);
    return;
  }

  const result = composeSupergraph(subgraphs);
  if (!result.ok) throw new Error(`The subgraphs do not compose:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  writeFileSync(SUPERGRAPH_FILE, result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`);
  for (const hint of result.hints) console.log(`hint: ${hint}`);
  console.log(`Wrote ${relative} (${names}).`);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
