import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse } from 'graphql';
import { SUBGRAPHS } from '@medcollab/kit';
import { DEFAULT_SUPERGRAPH_PATH } from './config';

/** One subgraph as composition sees it: its name, where the gateway calls it, its SDL. */
export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export type ComposeResult = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

export type CheckResult = { ok: true } | { ok: false; problem: 'composition' | 'missing' | 'stale'; message: string; errors?: string[] };

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SUPERGRAPH_FILE = DEFAULT_SUPERGRAPH_PATH;

/** Where a service's SDL lives (docs/architecture.md §6). */
export const schemaPath = (name: string, root = REPO_ROOT): string => path.join(root, 'services', name, 'schema.graphql');

/** The URL the committed supergraph names for a service; deployments override it (SUBGRAPH_<NAME>_URL). */
export const localSubgraphUrl = (port: number): string => `http://localhost:${port}/graphql`;

const formatError = (error: GraphQLError): string => {
  const code = error.extensions?.code;
  return typeof code === 'string' ? `[${code}] ${error.message}` : error.message;
};

/** Composes the subgraphs into a supergraph, or lists every reason it does not compose. */
export function composeSupergraph(subgraphs: SubgraphSource[]): ComposeResult {
  const errors: string[] = [];
  const services: Parameters<typeof composeServices>[0] = [];
  for (const { name, url, sdl } of subgraphs) {
    try {
      services.push({ name, url, typeDefs: parse(sdl) });
    } catch (error) {
      errors.push(`${name}: ${error instanceof GraphQLError ? formatError(error) : String(error)}`);
    }
  }
  if (errors.length) return { ok: false, errors };
  if (!services.length) return { ok: false, errors: ['no subgraphs to compose'] };
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map(formatError) };
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((h) => h.toString()) };
}

/**
 * Compares what the subgraphs compose to now with the committed supergraph: fails when they
 * do not compose, when there is no committed file, or when it is stale.
 */
export function checkSupergraph(subgraphs: SubgraphSource[], committedSdl: string | null | undefined): CheckResult {
  const composed = composeSupergraph(subgraphs);
  if (!composed.ok) {
    return {
      ok: false,
      problem: 'composition',
      errors: composed.errors,
      message: `The subgraphs do not compose:\n${composed.errors.map((e) => `  - ${e}`).join('\n')}`,
    };
  }
  if (committedSdl === null || committedSdl === undefined) {
    return {
      ok: false,
      problem: 'missing',
      message: 'There is no committed supergraph: run `pnpm compose` and commit gateway/supergraph.graphql.',
    };
  }
  if (normalize(committedSdl) !== normalize(composed.supergraphSdl)) {
    return {
      ok: false,
      problem: 'stale',
      message:
        'gateway/supergraph.graphql is stale: the subgraph schemas changed since it was composed. Run `pnpm compose` and commit the result.',
    };
  }
  return { ok: true };
}

/** Line endings and the final newline are the editor's business, not the schema's. */
const normalize = (sdl: string): string => sdl.replace(/\r\n/g, '\n').trimEnd();

/** The services of the registry with their committed SDL and local URL; a missing file is named. */
export function readServiceSubgraphs(services: readonly { name: string; port: number }[] = SUBGRAPHS, root = REPO_ROOT): SubgraphSource[] {
  return services.map(({ name, port }) => {
    const file = schemaPath(name, root);
    if (!existsSync(file)) throw new Error(`Subgraph ${name} has no schema: ${path.relative(root, file)} does not exist.`);
    return { name, url: localSubgraphUrl(port), sdl: readFileSync(file, 'utf8') };
  });
}

/** The committed supergraph, or null when there is none yet. */
export function readCommittedSupergraph(file = SUPERGRAPH_FILE): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
