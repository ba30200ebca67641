import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { composeSupergraph } from '@medcollab/gateway';
import { runId } from './database';

type Compose = typeof composeSupergraph;
type Sources = Parameters<Compose>[0];

/** Where this run keeps the supergraphs it composed (global teardown removes it). */
export const compositionCacheDir = (run = runId()): string => join(tmpdir(), `medcollab-test-supergraphs-${run}`);

/** A URL no subgraph listens on, unique to the subgraph, put back by the real one after composing. */
const placeholder = (name: string) => `http://composed-${name}.invalid/graphql`;

/**
 * Composes as `compose` does, once per run for each set of subgraph SDLs: the end-to-end files
 * start the same few systems again and again, and composing seven subgraphs costs seconds of
 * CPU that the two-core machine takes from the tests. The URLs are the only thing that differs
 * between two files' compositions (each subgraph listens on a free port), so a set is composed
 * with placeholder URLs and each file's URLs replace them in the text: the same supergraph as
 * composing with the real URLs. Files are written whole (a rename), so a Jest worker never reads
 * another's half-written one. Failures are not cached: each file reports its own.
 */
export function composeCached(sources: Sources, compose: Compose): { ok: true; supergraphSdl: string } | { ok: false; errors: string[] } {
  const key = createHash('sha256');
  for (const s of sources) key.update(`${s.name}\0${s.sdl}\0`);
  const dir = compositionCacheDir();
  const file = join(dir, `${key.digest('hex').slice(0, 16)}.graphql`);
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(file, 'utf8');
  } catch {
    const composed = compose(sources.map((s) => ({ ...s, url: placeholder(s.name) })));
    if (!composed.ok) return composed;
    supergraphSdl = composed.supergraphSdl;
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, supergraphSdl);
    renameSync(partial, file);
  }
  for (const s of sources) supergraphSdl = supergraphSdl.replaceAll(`"${placeholder(s.name)}"`, JSON.stringify(s.url));
  return { ok: true, supergraphSdl };
}

/** Removes this run's composed supergraphs. */
export function dropCompositionCache(run?: string): void {
  rmSync(compositionCacheDir(run), { recursive: true, force: true });
}
