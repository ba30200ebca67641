import { stringify } from 'yaml';
import { configMap, gatewayObjects, migrateJob, serviceObjects, sharedObjects, type K8sObject } from './manifests';
import { serviceTopology, type ServiceTopology } from './topology';

const HEADER = '# Generated from packages/kit/src/registry.ts by `pnpm k8s:generate` (packages/deploy); do not edit.\n';

const toYaml = (objects: K8sObject[]) =>
  HEADER + objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');

/**
 * Kustomize does not know KEDA's references: without these, a namePrefix/nameSuffix or a
 * generated (hash-suffixed) Secret would leave ScaledObjects and TriggerAuthentications pointing
 * at names that no longer exist. Declared in the base, they apply to every overlay.
 */
const KEDA_NAME_REFERENCES = {
  nameReference: [
    { kind: 'Deployment', fieldSpecs: [{ kind: 'ScaledObject', path: 'spec/scaleTargetRef/name' }] },
    { kind: 'TriggerAuthentication', fieldSpecs: [{ kind: 'ScaledObject', path: 'spec/triggers/authenticationRef/name' }] },
    { kind: 'Secret', fieldSpecs: [{ kind: 'TriggerAuthentication', path: 'spec/secretTargetRef/name' }] },
  ],
};

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
    configurations: ['keda-name-references.yaml'],
  };
  files['keda-name-references.yaml'] = HEADER + stringify(KEDA_NAME_REFERENCES, { lineWidth: 0 });
  files['kustomization.yaml'] = HEADER + stringify(kustomization, { lineWidth: 0 });
  return files;
}
