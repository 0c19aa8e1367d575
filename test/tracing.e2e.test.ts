import { fromBinaryMessage, subjectOf, topicNames, type CloudEvent } from '@aal/contracts';
import { EventPublisher, readTopic } from '@aal/kafka';
import { startTracing, tracingStarted } from '@aal/telemetry';
import {
  asKafkaMessage,
  createTestDatabase,
  eventually,
  freePort,
  httpClient,
  spawnService,
  startOtlpCollector,
  type CollectedSpan,
  type OtlpCollector,
  type SpawnedService,
  type TestDatabase,
} from '@aal/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawnableLedger, type SpawnableLedger } from '../apps/ledger/src/testing/spawned-ledger';
import { USAGE_EVENTS_SCHEMA } from '../apps/usage-events/src/database/usage-events.schema';
import { deploymentEvent, startUsageEvents } from '../apps/usage-events/src/testing/usage-app';
import { clinicalSystem, hospitalDeployment, outputBody } from '../apps/usage-events/src/testing/usage.factories';

// Issue #17, part 4: one clinical-system request makes one connected trace across two services run
// as processes, exactly as deployed (main.ts loads tracing first, the OTLP/HTTP exporter sends the
// spans to an endpoint this test serves on 127.0.0.1): usage-events' HTTP server span, its outbox
// append, the relay's publish, and the ledger's append of the event, which continues the trace
// from the event's own signed `traceparent`.

const SPAN_KIND = { internal: 1, server: 2, producer: 4, consumer: 5 } as const;

describe('tracing across usage-events and the ledger', () => {
  let collector: OtlpCollector;
  let ledgerSide: SpawnableLedger;
  let usageDb: TestDatabase;
  let ledger: SpawnedService | undefined;
  let usage: SpawnedService | undefined;
  let usageUrl: string;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '200' };
    ledgerSide = await spawnableLedger('tracing-test', 'tracing.test/aal', mkdtempSync(join(tmpdir(), 'aal-key-')), tracing);
    usageDb = await createTestDatabase([USAGE_EVENTS_SCHEMA]);
    const port = await freePort();
    usageUrl = `http://127.0.0.1:${port}`;
    ledger = ledgerSide.spawn();
    usage = spawnService('usage-events', {
      ...tracing,
      DATABASE_URL: usageDb.adminUrl,
      DATABASE_APP_PASSWORD: usageDb.settings.appPassword,
      KAFKA_BROKERS: ledgerSide.settings.brokers.join(','),
      KAFKA_TOPIC_PREFIX: ledgerSide.settings.topicPrefix,
      USAGE_EVENTS_PORT: String(port),
    });
    await knowHospitalDeployment();
  });

  afterAll(async () => {
    await usage?.stop();
    await ledger?.stop();
    await collector?.close();
    await usageDb?.drop();
    await ledgerSide?.db.drop();
  });

  /** usage-events learns the deployment from deployment-approval's topic, as in production. */
  async function knowHospitalDeployment() {
    const requested = deploymentEvent(hospitalDeployment);
    const publisher = new EventPublisher(ledgerSide.kafka);
    try {
      await publisher.publish([asKafkaMessage(requested, ledgerSide.settings.topicPrefix)]);
    } finally {
      await publisher.disconnect();
    }
    const db = new Client({ connectionString: usageDb.adminUrl });
    await db.connect();
    try {
      await eventually(
        async () =>
          (
            await db.query(`SELECT 1 FROM ${USAGE_EVENTS_SCHEMA.schema}.deployments WHERE deployment_id = $1`, [
              hospitalDeployment.deploymentId,
            ])
          ).rowCount,
        (n) => n === 1,
        90000,
        `usage-events to learn deployment ${hospitalDeployment.deploymentId}${usage ? `\n${usage.output()}` : ''}`,
      );
    } finally {
      await db.end();
    }
  }

  it('given tracing on, when the clinical system reports an output, then one trace runs from its request to the ledger append', async () => {
    // The clinical system's own span: the request continues its trace.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const body = outputBody(new Date().toISOString());
    const posted = await httpClient(usageUrl)('POST', '/outputs', {
      body,
      caller: clinicalSystem,
      headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
    });
    expect(posted.status).toBe(201);

    const inTrace = () => collector.spans().filter((s) => s.traceId === traceId);
    const ledgerAppend = (spans: readonly CollectedSpan[]) =>
      spans.find((s) => s.service === 'ledger' && s.name.startsWith('ledger append aal.output.generated.'));
    const spans = await eventually(
      async () => inTrace(),
      (found) => ledgerAppend(found) !== undefined && found.some((s) => s.name.startsWith('outbox publish ')),
      90000,
      'the ledger append span of the reported output',
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (s: CollectedSpan) => byId.get(s.parentSpanId);
    const ancestors = (s: CollectedSpan): CollectedSpan[] => {
      const parent = parentOf(s);
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    const server = spans.find((s) => s.service === 'usage-events' && s.kind === SPAN_KIND.server)!;
    expect(server).toMatchObject({ parentSpanId: clientSpanId, attributes: expect.objectContaining({ 'http.route': '/outputs' }) });
    const topic = `${ledgerSide.settings.topicPrefix}${topicNames('').events['usage-events']}`;
    const append = spans.find((s) => s.name === `outbox append ${topic}`)!;
    expect(append).toMatchObject({ service: 'usage-events', kind: SPAN_KIND.internal });
    expect(ancestors(append)).toContainEqual(server);
    // Express's and pg's instrumentations: the route handler under the server span, the INSERT under the append.
    expect(spans.some((s) => s.scope === '@opentelemetry/instrumentation-express' && ancestors(s).includes(server))).toBe(true);
    expect(spans.some((s) => s.scope === '@opentelemetry/instrumentation-pg' && s.parentSpanId === append.spanId)).toBe(true);

    const published = spans.filter((s) => s.name === `outbox publish ${topic}`);
    expect(published.length).toBeGreaterThanOrEqual(1);
    for (const p of published) expect(p).toMatchObject({ service: 'usage-events', kind: SPAN_KIND.producer, parentSpanId: append.spanId });

    const appended = ledgerAppend(spans)!;
    expect(appended).toMatchObject({
      kind: SPAN_KIND.consumer,
      parentSpanId: append.spanId,
      attributes: expect.objectContaining({ 'aal.ledger.outcome': 'appended', 'messaging.destination.name': topic }),
    });
    expect(ancestors(appended)).toEqual(expect.arrayContaining([append, server]));

    // The Kafka client's own spans (the relay's send, the ledger's poll) are tied in by links.
    const relay = collector
      .spans()
      .find((s) => s.name === 'outbox relay publish' && s.links.some((l) => l.spanId === published[0]!.spanId));
    expect(relay).toBeDefined();
    expect(collector.spans().some((s) => s.scope === '@opentelemetry/instrumentation-kafkajs' && s.parentSpanId === relay!.spanId)).toBe(
      true,
    );
    const poll = collector.spans().find((s) => s.spanId === appended.links[0]?.spanId);
    expect(poll).toMatchObject({ service: 'ledger', scope: '@opentelemetry/instrumentation-kafkajs', name: `poll ${topic}` });

    // The trace context is part of the signed event the ledger recorded.
    const admin = new Client({ connectionString: ledgerSide.db.adminUrl });
    await admin.connect();
    try {
      const entry = await admin.query(
        `SELECT headers, value FROM ledger.entries WHERE subject = $1 AND type LIKE 'aal.output.generated.%'`,
        [subjectOf('output', body.outputId)],
      );
      expect(entry.rows).toHaveLength(1);
      const decoded = fromBinaryMessage(entry.rows[0].headers, entry.rows[0].value);
      expect(decoded.ok && (decoded.event as CloudEvent<unknown>).traceparent).toBe(`00-${traceId}-${append.spanId}-01`);
      expect(entry.rows[0].headers['aal_signature']).toBeDefined();
    } finally {
      await admin.end();
    }
  });
});

describe('tracing off', () => {
  it('given no OTEL_EXPORTER_OTLP_ENDPOINT, when a traced request reports an output, then nothing is registered and the event carries no trace context', async () => {
    expect(startTracing('usage-events', {})).toBeNull();
    expect(tracingStarted()).toBe(false);
    const app = await startUsageEvents();
    try {
      const body = outputBody(new Date().toISOString());
      const posted = await app.call('POST', '/outputs', {
        body,
        caller: clinicalSystem,
        headers: { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` },
      });
      expect(posted.status).toBe(201);
      const [message] = (await readTopic(app.kafka, app.topic, 1)).filter((m) => m.key === subjectOf('output', body.outputId));
      expect(message).toBeDefined();
      expect(Object.keys(message!.headers ?? {}).filter((h) => h.includes('trace'))).toEqual([]);
      const decoded = fromBinaryMessage(stringHeaders(message!.headers), message!.value);
      expect(decoded.ok && 'traceparent' in decoded.event).toBe(false);
    } finally {
      await app.close();
    }
  });
});

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)]));
}
