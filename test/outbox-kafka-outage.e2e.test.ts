import { subjectOf } from '@aal/contracts';
import { createKafka, topicsFor, type KafkaSettings, readTopic } from '@aal/kafka';
import {
  createTestDatabase,
  createTestKafka,
  eventually,
  httpClient,
  privateKafka,
  quietKafkaLog,
  startApp,
  testProducerConfig,
  type PrivateKafka,
  type RunningApp,
  type TestDatabase,
} from '@aal/testing';
import { AppModule } from '../apps/model-registry/src/app.module';
import { MODEL_REGISTRY_SCHEMA } from '../apps/model-registry/src/database/model-registry.schema';

const vendor = { organisationId: 'acme-ai', personId: 'psn_vendoradmin01', role: 'vendor-admin' };
const model = (name: string) => ({
  name,
  intendedPurpose: 'Outage test.',
  riskClass: 'uk-mdr-class-i',
  manufacturerSafetyOfficer: 'psn_acmecso00001',
});
const version = (v: string) => ({
  version: v,
  artifactDigest: `sha256:${'a'.repeat(63)}${v.length}`,
  intendedUse: 'Outage test.',
  contraindications: [],
  intendedPopulation: { ageBands: ['18-39', '40-64'], text: 'Adults.' },
  knownLimitations: [],
  evidenceRefs: [],
});

/**
 * An accepted request is never lost: with Kafka stopped, the producer keeps answering 201 (its
 * outbox holds the events), readiness says Kafka is down, and when Kafka is back every event
 * arrives, in order per aggregate.
 */
describe('producer writes while Kafka is down', () => {
  let kafka: PrivateKafka;
  let db: TestDatabase;
  let service: RunningApp;
  let settings: KafkaSettings;

  beforeAll(async () => {
    kafka = await privateKafka();
    db = await createTestDatabase([MODEL_REGISTRY_SCHEMA]);
    ({ settings } = await createTestKafka('outage-test', { brokers: kafka.brokers, topicPrefix: 'outage.' }));
    service = await startApp(
      AppModule.register(testProducerConfig('model-registry', { database: db.settings, kafka: settings, instanceId: 'outage' })),
      'model-registry',
    );
  });

  afterAll(async () => {
    await service?.close();
    await kafka?.dispose();
    await db?.drop();
  });

  it('keeps every event and its order per aggregate across a broker outage', async () => {
    const call = httpClient(service.baseUrl);
    const models: string[] = [];
    for (const name of ['A', 'B', 'C']) {
      const res = await call('POST', '/models', { body: model(name), caller: vendor });
      expect(res.status).toBe(201);
      models.push(res.body.modelId);
    }
    await kafka.stop();
    await eventually(
      () => call('GET', '/health/ready'),
      (r) => r.status === 503,
      30000,
      'readiness to report Kafka down',
    );

    for (const v of ['1.0.0', '1.1.0', '2.0.0']) {
      for (const modelId of models) {
        const res = await call('POST', `/models/${modelId}/versions`, { body: version(v), caller: vendor });
        expect(res.status).toBe(201);
      }
    }
    const backlog = await (await fetch(`${service.baseUrl}/metrics`)).text();
    expect(backlog).toMatch(/outbox_backlog\{service="model-registry"\} [1-9]/);

    await kafka.start();
    // Delivery is at least once: a send that failed as the broker went away may have been written
    // and is sent again (the ledger de-duplicates by event id). Nothing may be missing, and the
    // first delivery of each event must follow the aggregate's order.
    const reader = createKafka(settings, quietKafkaLog);
    const topic = topicsFor(settings).events['model-registry'];
    const messages = await eventually(
      () => readTopic(reader, topic, 1000, 5000),
      (ms) => new Set(ms.map((m) => m.headers?.['ce_id']?.toString())).size >= 12,
      120000,
      'all 12 events after the restart',
    );
    for (const modelId of models) {
      const history = (await call('GET', `/models/${modelId}`, { caller: vendor })).body.history.map((e: { id: string }) => e.id);
      const delivered = messages
        .filter((m) => m.key?.toString() === subjectOf('model', modelId))
        .map((m) => m.headers?.['ce_id']?.toString());
      expect([...new Set(delivered)]).toEqual(history);
    }
    await eventually(
      () => call('GET', '/health/ready'),
      (r) => r.status === 200,
      60000,
      'readiness to recover',
    );
  });
});
