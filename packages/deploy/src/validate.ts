import { type K8sObject } from './manifests';
import { prometheusRuleProblems } from './prometheus-rule';

/** Kinds outside kubernetes-models, with a check of our own. */
const OWN_CHECKS: Record<string, (object: K8sObject) => string[]> = {
  'monitoring.coreos.com/v1 PrometheusRule': prometheusRuleProblems,
};

/** A kubernetes-models class: validate() throws with every schema violation it finds. */
type ModelClass = new (data: unknown) => { validate(): void };

/**
 * The schema module of an apiVersion: built-in groups from kubernetes-models, KEDA's from
 * @kubernetes-models/keda (both CommonJS, offline). Anything else is refused: an object we cannot
 * check is a finding, not a pass.
 */
function modelModule(apiVersion: string): Record<string, ModelClass> | undefined {
  const pkg = apiVersion.startsWith('keda.sh/') ? `@kubernetes-models/keda/${apiVersion}` : `kubernetes-models/${apiVersion}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(pkg) as Record<string, ModelClass>;
  } catch {
    return undefined;
  }
}

/** Why `object` is not a valid Kubernetes object (empty when it is). */
export function validateObject(object: K8sObject): string[] {
  const where = `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return [`${where}: apiVersion and kind are required`];
  const own = OWN_CHECKS[`${object.apiVersion} ${object.kind}`];
  if (own) return own(object);
  const Model = modelModule(object.apiVersion)?.[object.kind];
  if (!Model) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
}

export const validateAll = (objects: K8sObject[]): string[] => objects.flatMap(validateObject);
