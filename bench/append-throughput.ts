import 'reflect-metadata';
import { topicNames } from '@aal/contracts';
import { BatchConsumer, createKafka, EventPublisher } from '@aal/kafka';
import { createServiceApp } from '@aal/service-kit';
import { Client } from 'pg';
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../apps/ledger/src/app.module';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { buildEvent, latestDefinition, toBinaryMessage } from '@aal/contracts';
import { signEventBatch, SIGNATURE_HEADER } from '@aal/ledger-core';
import { testEventSigningKey, testLedgerEventKeys } from '@aal/testing';
import { benchCheckpointSettings, benchDatabase, benchKafka, fmt, quiet, report, runBench } from './bench-support';

/**
 * Append throughput from Kafka into the ledger (validation, de-duplication, hashing, Merkle tree
 * update, checkpointing), against a baseline measured in the same run on the same messages: a
 * plain kafkajs consumer batch-inserting the raw messages into an unindexed table.
 *   npm run bench:append            (BENCH_EVENTS=20000, BENCH_SIGNED_BATCH=500 by default)
 */
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 20000);
/** Events per producer batch signature (BENCH_SIGNED_BATCH; 1 signs each event alone, as before issue #16). */
const SIGNED_BATCH = Number(process.env['BENCH_SIGNED_BATCH'] ?? 500);

async function main(): Promise<void> {
  const db = await benchDatabase([LEDGER_SCHEMA]);
  const kafkaSettings = await benchKafka('bench-append');
  const kafka = createKafka(kafkaSettings, quiet);
  const topic = topicNames(kafkaSettings.topicPrefix).events['usage-events'];
  const admin = new Client({ connectionString: db.settings.adminUrl });
  await admin.connect();
  try {
    process.stdout.write(`publishing ${fmt(EVENTS)} output.generated events ...\n`);
    const definition = latestDefinition('output.generated');
    const publisher = new EventPublisher(kafka);
    const actor = { organisationId: 'bench-trust', personId: 'psn_benchsystem01', role: 'clinical-system' };
    const signingKey = testEventSigningKey('usage-events');
    for (let i = 0; i < EVENTS; i += 2000) {
      const messages = Array.from({ length: Math.min(2000, EVENTS - i) }, (_, j) =>
        toBinaryMessage(
          buildEvent(
            definition,
            {
              outputId: `bench-${i + j}`,
              organisationId: 'bench-trust',
              deploymentId: randomUUID(),
              modelId: randomUUID(),
              versionId: randomUUID(),
              subjectRef: 'psn_benchsubject1',
              outputDigest: `sha256:${'e'.repeat(64)}`,
              site: 'ward-1',
              summary: 'sepsis risk: moderate',
              actor,
            } as never,
            { id: randomUUID(), source: '/aal/usage-events/bench', time: new Date().toISOString() },
          ),
        ),
      );
      // Signed as usage-events' outbox signs one POST /batches of 500: one batch signature. The
      // ledger checks every event's path, and the batch's Ed25519 signature once per Kafka batch.
      const signatures = Array.from({ length: Math.ceil(messages.length / SIGNED_BATCH) }, (_, b) =>
        signEventBatch(messages.slice(b * SIGNED_BATCH, (b + 1) * SIGNED_BATCH), signingKey),
      ).flat();
      await publisher.publish(messages.map((m, j) => ({ topic, ...m, headers: { ...m.headers, [SIGNATURE_HEADER]: signatures[j]! } })));
    }
    await publisher.disconnect();

    // Baseline: the cheapest durable consumer we could write (it stores the same signed messages
    // but checks nothing, so the ratio shows what validation, signatures and hashing cost).
    await admin.query('CREATE TABLE public.bench_baseline (topic text, part int, off bigint, headers jsonb, value bytea)');
    const baselineStart = process.hrtime.bigint();
    let baselineRows = 0;
    const insertClient = new Client({ connectionString: db.settings.adminUrl });
    await insertClient.connect();
    const baseline = new BatchConsumer(kafka, { groupId: `${kafkaSettings.topicPrefix}baseline`, topics: [topic] }, async (batch) => {
      await insertClient.query(
        'INSERT INTO public.bench_baseline SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::jsonb[], $5::bytea[])',
        [
          batch.messages.map((m) => m.topic),
          batch.messages.map((m) => m.partition),
          batch.messages.map((m) => m.offset),
          batch.messages.map((m) => JSON.stringify(m.headers)),
          batch.messages.map((m) => m.value),
        ],
      );
      baselineRows += batch.messages.length;
    });
    await baseline.start();
    while (baselineRows < EVENTS) await new Promise((r) => setTimeout(r, 20));
    const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;
    await baseline.stop();
    await insertClient.end();

    // The ledger itself, in-process, exactly as main.ts builds it.
    const ledgerStart = process.hrtime.bigint();
    const app = await createServiceApp(
      AppModule.register({
        port: 0,
        database: db.settings,
        kafka: { ...kafkaSettings, clientId: 'bench-ledger' },
        checkpoints: benchCheckpointSettings(),
        ...testLedgerEventKeys(),
        // No HTTP requests are made: a token issuer nobody holds keys for.
        auth: {
          issuer: 'https://bench.invalid',
          audience: 'aal:ledger',
          jwks: { kind: 'inline', jwks: { keys: [] } },
          algorithms: ['EdDSA'],
          clockToleranceSeconds: 0,
          rateLimitPerMinute: 0,
        },
      }),
      { name: 'ledger', description: 'bench', logger: pino({ level: 'silent' }) },
    );
    await app.init();
    // max(seq) is an index lookup; polling must not slow down what it measures.
    const count = async () => Number((await admin.query('SELECT coalesce(max(seq) + 1, 0) AS n FROM ledger.entries')).rows[0].n);
    while ((await count()) < EVENTS) await new Promise((r) => setTimeout(r, 50));
    const appendSeconds = Number(process.hrtime.bigint() - ledgerStart) / 1e9;
    const checkpointed = async () =>
      Number((await admin.query('SELECT coalesce(max(tree_size), 0) AS n FROM ledger.checkpoints')).rows[0].n);
    while ((await checkpointed()) < EVENTS) await new Promise((r) => setTimeout(r, 50));
    const checkpointSeconds = Number(process.hrtime.bigint() - ledgerStart) / 1e9;
    await app.close();

    const baselineRate = EVENTS / baselineSeconds;
    const ledgerRate = EVENTS / appendSeconds;
    report(`append throughput, ${fmt(EVENTS)} events (${kafkaSettings.partitions} partitions, one consumer)`, [
      ['baseline: kafkajs eachBatch → unindexed INSERT', `${fmt(baselineRate)} msgs/s (${fmt(baselineSeconds, 2)} s)`],
      [
        'ledger: validate, verify signature, dedupe, hash, tree, commit',
        `${fmt(ledgerRate)} entries/s (${fmt(appendSeconds, 2)} s, includes service start)`,
      ],
      ['ledger, until a checkpoint covers all', `${fmt(EVENTS / checkpointSeconds)} entries/s (${fmt(checkpointSeconds, 2)} s)`],
      ['ratio ledger / baseline', `${fmt(ledgerRate / baselineRate, 2)}`],
      ['target', `≥ 5,000 entries/s: ${ledgerRate >= 5000 ? 'met' : 'NOT met'}`],
    ]);
  } finally {
    await admin.end();
    await db.drop();
  }
}

runBench(main);
