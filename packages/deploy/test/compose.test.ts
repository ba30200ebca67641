import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SUBGRAPHS } from '@medcollab/kit';
import { K8S_DIR } from '../src';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML */

const compose = parse(readFileSync(path.join(K8S_DIR, '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as any;

/** What docker-compose.yml lacks for the services of `table` (it is written by hand, unlike k8s/base). */
function composeProblems(table: readonly { name: string; port: number }[]): string[] {
  const problems: string[] = [];
  const gatewayEnv = compose.services.gateway?.environment ?? {};
  for (const { name, port } of table) {
    const expect = (service: string, command: string) => {
      const found = compose.services[service];
      if (!found) problems.push(`docker-compose.yml: no service ${service}`);
      else if (JSON.stringify(found.command) !== JSON.stringify(['node', command]))
        problems.push(`${service}: command is not node ${command}`);
    };
    expect(name, `services/${name}/src/index.js`);
    expect(`${name}-worker`, `services/${name}/src/worker.js`);
    const url = `http://${name}:${port}/graphql`;
    if (gatewayEnv[`SUBGRAPH_${name.toUpperCase()}_URL`] !== url)
      problems.push(`gateway: SUBGRAPH_${name.toUpperCase()}_URL is not ${url}`);
  }
  return problems;
}

describe('docker-compose.yml', () => {
  it('runs every service of the table, its worker, and points the gateway at it, from the compiled image', () => {
    expect(composeProblems(SUBGRAPHS)).toEqual([]);
    expect(compose.services.gateway.command).toEqual(['node', 'gateway/src/index.js']);
    expect(compose.services.migrate.build).toEqual({ context: '.', target: 'runtime' });
  });

  it('names a service of the table it lacks', () => {
    expect(composeProblems([{ name: 'ghost', port: 4099 }])).toEqual([
      'docker-compose.yml: no service ghost',
      'docker-compose.yml: no service ghost-worker',
      'gateway: SUBGRAPH_GHOST_URL is not http://ghost:4099/graphql',
    ]);
  });
});
