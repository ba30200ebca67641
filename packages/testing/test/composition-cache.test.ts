import { readFileSync } from 'node:fs';
import { composeSupergraph, schemaPath } from '@medcollab/gateway';
import { composeCached, dropCompositionCache } from '../src/composition-cache';

const sources = (ports: number[]) =>
  ['network', 'rotations'].map((name, i) => ({
    name,
    url: `http://127.0.0.1:${ports[i]}/graphql`,
    sdl: readFileSync(schemaPath(name), 'utf8'),
  }));
const run = `cache-test-${process.pid}`;

beforeAll(() => {
  process.env.TEST_RUN_ID = run;
});
afterAll(() => dropCompositionCache(run));

describe('composeCached', () => {
  it('gives each caller the supergraph composing its own URLs gives, composing once', () => {
    let composed = 0;
    const counting: typeof composeSupergraph = (s) => (composed++, composeSupergraph(s));
    for (const ports of [
      [5101, 5102],
      [6201, 6202],
    ]) {
      const cached = composeCached(sources(ports), counting);
      const direct = composeSupergraph(sources(ports));
      expect(cached.ok && direct.ok).toBe(true);
      expect(cached.ok && cached.supergraphSdl).toBe(direct.ok && direct.supergraphSdl);
      expect(cached.ok && cached.supergraphSdl).toContain(`http://127.0.0.1:${ports[0]}/graphql`);
    }
    expect(composed).toBe(1);
  });

  it('does not keep a failure: each caller is told why its subgraphs do not compose', () => {
    const broken = [{ name: 'broken', url: 'http://127.0.0.1:1/graphql', sdl: 'type Query { broken: }' }];
    expect(composeCached(broken, composeSupergraph)).toMatchObject({ ok: false });
    expect(composeCached(broken, composeSupergraph)).toMatchObject({ ok: false });
  });
});
