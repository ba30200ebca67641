import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUBGRAPHS } from '@medcollab/kit';
import {
  coverageProblems,
  hardeningProblems,
  referenceProblems,
  K8S_DIR,
  renderKustomization,
  staleBaseFiles,
  validateAll,
  validateObject,
  type K8sObject,
} from '../src';

const OVERLAYS = readdirSync(path.join(K8S_DIR, 'overlays'));
const rendered = new Map(OVERLAYS.map((o) => [o, renderKustomization(path.join(K8S_DIR, 'overlays', o))]));
const overlay = (name: string) => rendered.get(name)!;
const named = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('k8s/base', () => {
  it('is exactly what the service table generates (run `pnpm k8s:generate` after changing the table)', () => {
    expect(staleBaseFiles()).toEqual([]);
  });
});

describe('every overlay', () => {
  it('includes development and production', () => {
    expect(OVERLAYS).toEqual(expect.arrayContaining(['development', 'production']));
  });

  it.each(OVERLAYS)('%s: every object is valid against the Kubernetes and KEDA schemas', (name) => {
    expect(overlay(name).length).toBeGreaterThan(SUBGRAPHS.length * 8);
    expect(validateAll(overlay(name))).toEqual([]);
  });

  it.each(OVERLAYS)('%s: every service of the table has its subgraph, worker, autoscalers, budgets and policies', (name) => {
    expect(coverageProblems(overlay(name), SUBGRAPHS)).toEqual([]);
  });

  it.each(OVERLAYS)('%s: every pod is non-root with a read-only root filesystem, requests and limits', (name) => {
    expect(hardeningProblems(overlay(name))).toEqual([]);
  });

  it.each(OVERLAYS)('%s: subgraphs accept only the gateway, workers accept nothing', (name) => {
    for (const { name: service } of SUBGRAPHS) {
      const api = named(overlay(name), 'NetworkPolicy', service).spec;
      expect(api.ingress).toEqual([
        { from: [{ podSelector: { matchLabels: { app: 'gateway' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
      ]);
      expect(named(overlay(name), 'NetworkPolicy', `${service}-worker`).spec.ingress).toEqual([]);
      // Subgraphs reach PostgreSQL and Redis only (DNS comes from allow-dns).
      expect(api.egress.flatMap((e: { ports: { port: number }[] }) => e.ports.map((p) => p.port))).toEqual([5432, 6379]);
    }
    expect(named(overlay(name), 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it.each(OVERLAYS)('%s: every reference resolves (generated Secrets by their hashed name; production brings its own)', (name) => {
    const hasSecret = overlay(name).some((o) => o.kind === 'Secret');
    expect(referenceProblems(overlay(name), hasSecret ? [] : ['medcollab-secrets'])).toEqual([]);
  });

  it.each(OVERLAYS)("%s: KEDA scales each worker on every queue it runs, its tasks' queues included", (name) => {
    const lists = (worker: string) =>
      named(overlay(name), 'ScaledObject', worker).spec.triggers.map((t: { metadata: { listName: string } }) => t.metadata.listName);
    expect(lists('notifications-worker')).toEqual(['medcollab:events.notifications:wait']);
    expect(lists('quality-worker')).toEqual(['medcollab:events.quality:wait', 'medcollab:quality-snapshots:wait']);
    expect(lists('network-worker')).toEqual(['medcollab:events.network:wait', 'medcollab:events.network-roster-imports:wait']);
  });

  it('references survive a namePrefix (KEDA objects included)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medcollab-k8s-prefix-'));
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      `namePrefix: east-\nresources: [${path.relative(dir, path.join(K8S_DIR, 'base'))}]\n`,
    );
    const objects = renderKustomization(dir);
    expect(named(objects, 'ScaledObject', 'east-network-worker').spec.scaleTargetRef.name).toBe('east-network-worker');
    expect(referenceProblems(objects, ['east-medcollab-secrets', 'medcollab-secrets'])).toEqual([]);
  });

  it.each(OVERLAYS)('%s: each subgraph and worker waits for its schema before serving', (name) => {
    for (const { name: service } of SUBGRAPHS) {
      for (const app of [service, `${service}-worker`]) {
        const init = named(overlay(name), 'Deployment', app).spec.template.spec.initContainers;
        expect(init).toEqual([expect.objectContaining({ command: ['node', 'scripts/wait-for-schema.js', service] })]);
      }
    }
    expect(named(overlay(name), 'Job', 'migrate').spec.template.spec.containers[0].command).toEqual(['node', 'scripts/migrate.js']);
  });
});

describe('the checks fail when they should', () => {
  it('names a service of the table that has no manifests', () => {
    const problems = coverageProblems(overlay('production'), [...SUBGRAPHS, { name: 'ghost', port: 4099 }]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'ghost: no Deployment (its API process)',
        'ghost: no Service (how the gateway reaches it)',
        'ghost: no HorizontalPodAutoscaler on CPU',
        'ghost-worker: no Deployment (its worker process)',
        'ghost-worker: no KEDA ScaledObject',
      ]),
    );
  });

  it('rejects an object that breaks its schema, and a kind it has no schema for', () => {
    const deployment = structuredClone(named(overlay('production'), 'Deployment', SUBGRAPHS[0].name)) as K8sObject;
    (deployment.spec as { template: { spec: { containers: { ports: unknown[] }[] } } }).template.spec.containers[0]!.ports = [
      { containerPort: 'four thousand' },
    ];
    expect(validateObject(deployment)).toEqual([expect.stringContaining('containerPort')]);
    const scaler = structuredClone(named(overlay('production'), 'ScaledObject', `${SUBGRAPHS[0].name}-worker`)) as K8sObject;
    delete (scaler.spec as { scaleTargetRef?: unknown }).scaleTargetRef;
    expect(validateObject(scaler)).toEqual([expect.stringContaining('scaleTargetRef')]);
    expect(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget/w: no schema for example.com/v1 Widget',
    ]);
  });

  it('finds an invalid manifest in a rendered kustomization', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medcollab-k8s-'));
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [broken.yaml]\n');
    writeFileSync(
      path.join(dir, 'broken.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: broken }\nspec:\n  replicas: two\n  selector: { matchLabels: { app: broken } }\n' +
        '  template: { metadata: { labels: { app: broken } }, spec: { containers: [{ name: c, image: x }] } }\n',
    );
    expect(validateAll(renderKustomization(dir))).toEqual([expect.stringContaining('replicas')]);
  });

  it('finds a reference to nothing', () => {
    const objects = structuredClone(overlay('development'));
    named(objects, 'ScaledObject', `${SUBGRAPHS[0].name}-worker`).spec.triggers[0].authenticationRef.name = 'gone';
    expect(referenceProblems(objects)).toEqual([`ScaledObject/${SUBGRAPHS[0].name}-worker: TriggerAuthentication gone does not exist`]);
  });

  it('finds a pod without limits or running writable', () => {
    const deployment = structuredClone(named(overlay('production'), 'Deployment', 'gateway')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    delete deployment.spec.template.spec.containers[0].resources.limits;
    deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    expect(hardeningProblems([deployment])).toEqual([
      'Deployment/gateway/gateway: root filesystem is writable',
      'Deployment/gateway/gateway: no cpu limit',
      'Deployment/gateway/gateway: no memory limit',
    ]);
  });
});
