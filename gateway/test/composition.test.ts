import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkSupergraph, composeSupergraph, readCommittedSupergraph, readServiceSubgraphs } from '../src/composition';
import { ECHO_SDL, EXTRA_SDL } from './fixtures/echo';

const subgraphs = (echoSdl = ECHO_SDL) => [
  { name: 'echo', url: 'http://localhost:4901/graphql', sdl: echoSdl },
  { name: 'extra', url: 'http://localhost:4902/graphql', sdl: EXTRA_SDL },
];

function composed(): string {
  const result = composeSupergraph(subgraphs());
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.supergraphSdl;
}

describe('composeSupergraph', () => {
  it('composes the subgraphs with their URLs into a supergraph', () => {
    const sdl = composed();
    expect(sdl).toContain('@join__graph(name: "echo", url: "http://localhost:4901/graphql")');
    expect(sdl).toContain('@join__graph(name: "extra", url: "http://localhost:4902/graphql")');
    expect(sdl).toMatch(/type Thing[^{]*@join__type\(graph: EXTRA, key: "id"\)/);
  });

  it('lists composition errors with their codes', () => {
    const clash = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { "x" boom: String }`;
    const result = composeSupergraph([...subgraphs(), { name: 'clash', url: 'http://localhost:4903/graphql', sdl: clash }]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      expect.stringMatching(/^\[INVALID_FIELD_SHARING\] Non-shareable field "Query.boom" is resolved from multiple subgraphs/),
    ]);
  });

  it('names the subgraph whose SDL does not parse', () => {
    const result = composeSupergraph(subgraphs('type Query { broken: }'));
    expect(!result.ok && result.errors).toEqual([expect.stringMatching(/^echo: Syntax Error/)]);
  });
});

describe('checkSupergraph', () => {
  it('passes when the committed supergraph is what the subgraphs compose to', () => {
    expect(checkSupergraph(subgraphs(), composed())).toEqual({ ok: true });
    expect(checkSupergraph(subgraphs(), `${composed()}\n\n`)).toEqual({ ok: true });
  });

  it('reports a stale supergraph after a subgraph SDL changes', () => {
    const committed = composed();
    const changed = ECHO_SDL.replace('boom: String', 'boom: String\n    "New field."\n    fresh: Int');
    const result = checkSupergraph(subgraphs(changed), committed);
    expect(result).toMatchObject({ ok: false, problem: 'stale' });
    expect(!result.ok && result.message).toMatch(/stale.*pnpm compose/);
  });

  it('reports composition errors when the changed SDL does not compose', () => {
    const broken = ECHO_SDL.replace('thing(id: ID!): Thing', 'thing(id: ID!): Missing');
    const result = checkSupergraph(subgraphs(broken), composed());
    expect(result).toMatchObject({ ok: false, problem: 'composition' });
    expect(!result.ok && result.message).toMatch(/do not compose:\n {2}- \[INVALID_GRAPHQL\] \[echo\] Unknown type Missing/);
  });

  it('reports a missing supergraph', () => {
    expect(checkSupergraph(subgraphs(), null)).toMatchObject({ ok: false, problem: 'missing' });
  });
});

describe('the repository', () => {
  it('names a service whose schema file is missing', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mc-compose-'));
    expect(() => readServiceSubgraphs([{ name: 'network', port: 4001 }], root)).toThrow(
      'Subgraph network has no schema: services/network/schema.graphql does not exist.',
    );
  });

  it('has a committed gateway/supergraph.graphql that matches the services (run `pnpm compose` if not)', () => {
    const result = checkSupergraph(readServiceSubgraphs(), readCommittedSupergraph());
    if (!result.ok) throw new Error(result.message);
  });
});
