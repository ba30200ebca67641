import { stringify } from 'yaml';
import { configMap, gatewayObjects, migrateJob, serviceObjects, sharedObjects, type K8sObject } from './manifests';
import { serviceTopology, type ServiceTopology } from './topology';

const HEADER = '# Generated from packages/kit/src/registry.ts by `pnpm k8s:generate` (packages/deploy); do not edit.\n';

const toYaml = (objects: K8sObject[]) =>
  HEADER + objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');

/** Every file of k8s/base, by name: one per service (subgraph + worker), the gateway, shared objects. */
export function baseFiles(services: ServiceTopology[] = serviceTopology()): Record<string, string> {
  const files: Record<string, string> = {
    'namespace.yaml': toYaml([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'medcollab' } }]),
    'config.yaml': toYaml([configMap(services)]),
    'shared.yaml': toYaml(sharedObjects()),
    'migrate-job.yaml': toYaml([migrateJob()]),
    'gateway.yaml': toYaml(gatewayObjects()),
  };
  for (const s of services) files[`${s.name}.yaml`] = toYaml(serviceObjects(s));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: 'medcollab',
    labels: [{ pairs: { 'app.kubernetes.io/part-of': 'medcollab' } }],
    resources: Object.keys(files),
    images: [{ name: 'medcollab', newName: 'medcollab', newTag: 'dev' }],
  };
  files['kustomization.yaml'] = HEADER + stringify(kustomization, { lineWidth: 0 });
  return files;
}
