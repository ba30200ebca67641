import { type K8sObject } from './manifests';
import { GATEWAY, QUEUE_PREFIX, bullWaitListKey, serviceTopology } from './topology';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked untyped; validate.ts checks its shape */
type Obj = K8sObject & { spec?: any };

const find = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

/**
 * What a rendered overlay lacks for the services of `table`: each subgraph needs a Deployment,
 * a Service, a CPU autoscaler, a disruption budget and a NetworkPolicy; each worker a Deployment,
 * a queue-depth ScaledObject on its queues' wait lists, a disruption budget and a NetworkPolicy.
 */
export function coverageProblems(objects: Obj[], table: readonly { name: string; port: number }[]): string[] {
  const problems: string[] = [];
  const need = (kind: string, name: string, why: string) => {
    if (!find(objects, kind, name)) problems.push(`${name}: no ${kind} (${why})`);
  };
  const hpaTargets = new Set(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec?.scaleTargetRef?.name));
  const pdbApps = new Set(objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.spec?.selector?.matchLabels?.app));
  const policyApps = new Set(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.spec?.podSelector?.matchLabels?.app));

  for (const app of [GATEWAY.name, ...table.map((s) => s.name)]) {
    need('Deployment', app, 'its API process');
    need('Service', app, 'how the gateway reaches it');
    if (!hpaTargets.has(app)) problems.push(`${app}: no HorizontalPodAutoscaler on CPU`);
  }
  for (const s of serviceTopology(table)) {
    const worker = `${s.name}-worker`;
    need('Deployment', worker, 'its worker process');
    const scaler = objects.find((o) => o.kind === 'ScaledObject' && o.spec?.scaleTargetRef?.name === worker);
    if (!scaler) problems.push(`${worker}: no KEDA ScaledObject`);
    else {
      const lists = new Set((scaler.spec.triggers ?? []).map((t: any) => t.metadata?.listName));
      for (const queue of s.queues) {
        const key = bullWaitListKey(QUEUE_PREFIX, queue);
        if (!lists.has(key)) problems.push(`${worker}: its ScaledObject does not watch ${key}`);
      }
    }
  }
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    if (!pdbApps.has(d.metadata.name)) problems.push(`${d.metadata.name}: no PodDisruptionBudget`);
    if (!policyApps.has(d.metadata.name)) problems.push(`${d.metadata.name}: no NetworkPolicy`);
  }
  return problems;
}

/** Every pod (Deployments, Jobs) runs hardened and bounded: non-root, read-only root, no escalation, requests and limits. */
export function hardeningProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
    const pod = o.spec?.template?.spec ?? {};
    const where = `${o.kind}/${o.metadata.name}`;
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod does not set runAsNonRoot`);
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}/${c.name}: root filesystem is writable`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}/${c.name}: privilege escalation allowed`);
      for (const bound of ['requests', 'limits'])
        for (const r of ['cpu', 'memory'])
          if (!c.resources?.[bound]?.[r]) problems.push(`${where}/${c.name}: no ${r} ${bound.slice(0, -1)}`);
    }
  }
  return problems;
}

/**
 * References that point at nothing in the rendered objects: ConfigMaps and Secrets of pods,
 * the Deployments and TriggerAuthentications of ScaledObjects, the Secrets of
 * TriggerAuthentications. `external` names Secrets provided outside the manifests.
 */
export function referenceProblems(objects: Obj[], external: string[] = []): string[] {
  const names = (kind: string) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata.name));
  const have: Record<string, Set<string>> = {
    ConfigMap: names('ConfigMap'),
    Secret: new Set([...names('Secret'), ...external]),
    Deployment: names('Deployment'),
    TriggerAuthentication: names('TriggerAuthentication'),
  };
  const problems: string[] = [];
  const check = (from: string, kind: string, name: string | undefined) => {
    if (name && !have[kind]!.has(name)) problems.push(`${from}: ${kind} ${name} does not exist`);
  };
  for (const o of objects) {
    const from = `${o.kind}/${o.metadata.name}`;
    const pod = o.spec?.template?.spec;
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      for (const source of c.envFrom ?? []) {
        check(from, 'ConfigMap', source.configMapRef?.name);
        check(from, 'Secret', source.secretRef?.name);
      }
    }
    if (o.kind === 'ScaledObject') {
      check(from, 'Deployment', o.spec?.scaleTargetRef?.name);
      for (const t of o.spec?.triggers ?? []) check(from, 'TriggerAuthentication', t.authenticationRef?.name);
    }
    if (o.kind === 'TriggerAuthentication') for (const ref of o.spec?.secretTargetRef ?? []) check(from, 'Secret', ref.name);
  }
  return problems;
}
