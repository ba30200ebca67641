import { GATEWAY, QUEUE_PREFIX, bullWaitListKey, type Egress, type ServiceTopology } from './topology';

/** A Kubernetes object as written to YAML (checked against the schemas by validate.ts). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export type Role = 'gateway' | 'subgraph' | 'worker' | 'migrate';

/** The label NetworkPolicies select on. */
export const ROLE_LABEL = 'medcollab.io/role';
const IMAGE = 'medcollab';
const CONFIG = [{ configMapRef: { name: 'medcollab-config' } }, { secretRef: { name: 'medcollab-secrets' } }];

const labels = (app: string, role: Role) => ({ app, [ROLE_LABEL]: role });

/** Non-root, read-only root filesystem, no privilege escalation, no capabilities. */
const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};
/** The image's `node` user (uid 1000): a numeric id lets the kubelet verify runAsNonRoot. */
const podSecurity = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } };
const tmpVolume = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
const tmpMount = { name: 'tmp', mountPath: '/tmp' };

interface Resources {
  cpu: [request: string, limit: string];
  memory: [request: string, limit: string];
}
const RESOURCES: Record<Exclude<Role, 'migrate'>, Resources> = {
  gateway: { cpu: ['250m', '1'], memory: ['256Mi', '512Mi'] },
  subgraph: { cpu: ['200m', '1'], memory: ['256Mi', '512Mi'] },
  worker: { cpu: ['100m', '500m'], memory: ['192Mi', '384Mi'] },
};
const resources = (r: Resources) => ({ requests: { cpu: r.cpu[0], memory: r.memory[0] }, limits: { cpu: r.cpu[1], memory: r.memory[1] } });

/** Waits until the service's database is at exactly this image's migrations (scripts/wait-for-schema.ts). */
const waitForSchema = (service: string) => ({
  name: 'wait-for-schema',
  image: IMAGE,
  command: ['node', 'scripts/wait-for-schema.js', service],
  envFrom: CONFIG,
  securityContext: containerSecurity,
  volumeMounts: [tmpMount],
  resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '200m', memory: '192Mi' } },
});

interface ProcessSpec {
  name: string;
  role: Exclude<Role, 'migrate'>;
  command: string[];
  port: number;
  portName: 'http' | 'health';
  /** Service whose schema the pod must wait for (none for the gateway). */
  schemaOf?: string;
  /** Prometheus scrapes /metrics on the port, or on `metricsPort` when the process serves it apart. */
  metrics: boolean;
  /** A port of its own for /metrics (the gateway: never on its public port). */
  metricsPort?: number;
}

function deployment(p: ProcessSpec): K8sObject {
  const annotations = p.metrics
    ? { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(p.metricsPort ?? p.port), 'prometheus.io/path': '/metrics' }
    : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.name, labels: labels(p.name, p.role) },
    // No `replicas`: the HorizontalPodAutoscaler (or KEDA for workers) owns it.
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: p.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(p.name, p.role), ...(annotations && { annotations }) },
        spec: {
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          // Long enough to drain HTTP and let in-flight jobs finish after SIGTERM (SHUTDOWN_TIMEOUT_MS is 10 s).
          terminationGracePeriodSeconds: 30,
          ...(p.schemaOf && { initContainers: [waitForSchema(p.schemaOf)] }),
          containers: [
            {
              name: p.role === 'worker' ? 'worker' : p.name,
              image: IMAGE,
              command: p.command,
              ports: [
                { containerPort: p.port, name: p.portName },
                ...(p.metricsPort ? [{ containerPort: p.metricsPort, name: 'metrics' }] : []),
              ],
              envFrom: CONFIG,
              securityContext: containerSecurity,
              volumeMounts: [tmpMount],
              startupProbe: { httpGet: { path: '/healthz', port: p.portName }, periodSeconds: 2, failureThreshold: 60 },
              readinessProbe: { httpGet: { path: '/readyz', port: p.portName }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/healthz', port: p.portName }, periodSeconds: 10 },
              resources: resources(RESOURCES[p.role]),
            },
          ],
          volumes: [tmpVolume],
        },
      },
    },
  };
}

function service(name: string, port: number): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port, targetPort: 'http', name: 'http' }] },
  };
}

/** Scales on CPU; every replica is stateless behind its Service. */
function cpuAutoscaler(name: string, min: number, max: number): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      // Scale down slowly: a burst of start-ups costs more than a few idle minutes.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

/** One pod at a time may be evicted by a drain; with a single replica the drain still proceeds. */
function disruptionBudget(name: string): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } },
  };
}

/**
 * A worker scaled on the waiting jobs of its queues. At least one replica always runs: the
 * worker also relays its service's outbox, which has no queue to scale on.
 */
function queueScaler(s: ServiceTopology): K8sObject {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: `${s.name}-worker` },
    spec: {
      scaleTargetRef: { name: `${s.name}-worker` },
      minReplicaCount: 1,
      maxReplicaCount: 5,
      pollingInterval: 15,
      cooldownPeriod: 300,
      triggers: s.queues.map((queue) => ({
        type: 'redis',
        name: queue.replace(/[^a-z0-9-]/g, '-'),
        // Target waiting jobs per replica (a replica runs EVENTS_CONCURRENCY=8 at once).
        metadata: { listName: bullWaitListKey(QUEUE_PREFIX, queue), listLength: '100' },
        authenticationRef: { name: 'medcollab-redis' },
      })),
    },
  };
}

const tcp = (port: number | string) => ({ protocol: 'TCP', port });
/** Everything outside the cluster's private ranges and the cloud metadata endpoint (webhooks are the public internet). */
const PUBLIC_INTERNET = { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } };
const EGRESS_RULES: Record<Egress, object> = {
  postgres: { ports: [tcp(5432)] },
  redis: { ports: [tcp(6379)] },
  smtp: { ports: [tcp(25), tcp(465), tcp(587)] },
  webhooks: { to: [PUBLIC_INTERNET], ports: [tcp(443)] },
};

function networkPolicy(name: string, podLabels: Record<string, string>, ingress: object[], egress: object[]): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: { podSelector: { matchLabels: podLabels }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  };
}

export function gatewayObjects(): K8sObject[] {
  const { name, port } = GATEWAY;
  return [
    deployment({
      name,
      role: 'gateway',
      command: ['node', 'gateway/src/index.js'],
      port,
      portName: 'http',
      metrics: true,
      metricsPort: GATEWAY.metricsPort,
    }),
    service(name, port),
    cpuAutoscaler(name, 2, 10),
    disruptionBudget(name),
    networkPolicy(
      name,
      { app: name },
      // Clients come through the cluster's ingress controller, wherever it runs.
      [{ ports: [tcp('http')] }],
      [
        { to: [{ podSelector: { matchLabels: { [ROLE_LABEL]: 'subgraph' } } }], ports: [tcp('http')] },
        // The identity provider's JWKS (RS256 tokens in production).
        { to: [PUBLIC_INTERNET], ports: [tcp(443)] },
      ],
    ),
  ];
}

export function serviceObjects(s: ServiceTopology): K8sObject[] {
  const worker = `${s.name}-worker`;
  return [
    deployment({
      name: s.name,
      role: 'subgraph',
      command: ['node', `services/${s.name}/src/index.js`],
      port: s.port,
      portName: 'http',
      schemaOf: s.name,
      metrics: true,
    }),
    service(s.name, s.port),
    cpuAutoscaler(s.name, 2, 6),
    disruptionBudget(s.name),
    networkPolicy(
      s.name,
      { app: s.name },
      [{ from: [{ podSelector: { matchLabels: { app: GATEWAY.name } } }], ports: [tcp('http')] }],
      [EGRESS_RULES.postgres, EGRESS_RULES.redis],
    ),
    deployment({
      name: worker,
      role: 'worker',
      command: ['node', `services/${s.name}/src/worker.js`],
      port: s.workerHealthPort,
      portName: 'health',
      schemaOf: s.name,
      metrics: true,
    }),
    queueScaler(s),
    disruptionBudget(worker),
    // No ingress: only the kubelet's probes (node traffic) and the scrape policy reach a worker.
    networkPolicy(
      worker,
      { app: worker },
      [],
      s.workerEgress.map((e) => EGRESS_RULES[e]),
    ),
  ];
}

/** Objects every process shares: namespace-wide policies, KEDA's Redis credentials. */
export function sharedObjects(): K8sObject[] {
  const all = { podSelector: {} };
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny' },
      spec: { ...all, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-dns' },
      spec: {
        ...all,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-otlp-export' },
      // Traces go to the OpenTelemetry collector (OTLP gRPC 4317, HTTP 4318) when OTEL_EXPORTER_OTLP_ENDPOINT is set.
      spec: { ...all, policyTypes: ['Egress'], egress: [{ ports: [tcp(4317), tcp(4318)] }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-prometheus-scrape' },
      spec: {
        podSelector: { matchExpressions: [{ key: ROLE_LABEL, operator: 'In', values: ['subgraph', 'worker', 'gateway'] }] },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
            ports: [tcp('http'), tcp('health'), tcp('metrics')],
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'migrate' },
      spec: {
        podSelector: { matchLabels: { app: 'migrate' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [EGRESS_RULES.postgres],
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: 'medcollab-redis' },
      // KEDA wants host:port and a password, not REDIS_URL: each overlay's secret carries both forms.
      spec: {
        secretTargetRef: [
          { parameter: 'address', name: 'medcollab-secrets', key: 'REDIS_ADDRESS' },
          { parameter: 'password', name: 'medcollab-secrets', key: 'REDIS_PASSWORD' },
        ],
      },
    },
  ];
}

/** Migrations run once per release, before the new pods pass their wait-for-schema init container. */
export function migrateJob(): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'migrate',
      // Argo CD runs it before each sync and replaces the previous release's Job; with plain
      // kubectl, delete the finished Job first (docs/operations.md).
      annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
    },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: labels('migrate', 'migrate') },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          containers: [
            {
              name: 'migrate',
              image: IMAGE,
              command: ['node', 'scripts/migrate.js'],
              envFrom: CONFIG,
              securityContext: containerSecurity,
              volumeMounts: [tmpMount],
              resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
            },
          ],
          volumes: [tmpVolume],
        },
      },
    },
  };
}

/** Settings every process reads; the subgraph URLs come from the service table. */
export function configMap(services: ServiceTopology[]): K8sObject {
  const urls = Object.fromEntries(
    services.map((s) => [`SUBGRAPH_${s.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`, `http://${s.name}:${s.port}/graphql`]),
  );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'medcollab-config' },
    data: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      MIGRATE_ON_START: 'false',
      EVENTS_PREFIX: QUEUE_PREFIX,
      // The audit store appends as this role (INSERT/SELECT only on the trail; its migration creates it, ADR 0023).
      AUDIT_WRITER_ROLE: 'medcollab_audit_writer',
      ...urls,
    },
  };
}
