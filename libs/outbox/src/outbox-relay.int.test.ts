import { buildEvent, ModelRegisteredV1, topicNames } from '@aal/contracts';
import { MIGRATIONS_RETENTION, retentionTable, roleNames, serviceSchema, urlForRole } from '@aal/database';
import { EventPublisher, type KafkaClient, readTopic } from '@aal/kafka';
import {
  eventContentHash,
  parseEventKeySet,
  signedEventHeaders,
  publicEventJwk,
  SIGNATURE_HEADER,
  verifyEventSignature,
} from '@aal/ledger-core';
import { createTestDatabase, createTestKafka, eventually, testEventSigningKey, type TestDatabase } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OutboxRelay } from './outbox-relay';
import { signedMessage } from './outbox-writer';
import { OUTBOX_RETENTION, outboxMigrationSql } from './outbox-schema';

const SCHEMA = 'outbox_probe';
const signingKey = testEventSigningKey('model-registry');
const trusted = parseEventKeySet({ 'model-registry': { keys: [publicEventJwk(signingKey.privateKey)] } }).get('model-registry')!;

class OutboxOnly implements MigrationInterface {
  name = 'OutboxOnly1732500000000';
  async up(q: QueryRunner) {
    for (const sql of outboxMigrationSql(SCHEMA, roleNames(SCHEMA).appRole)) await q.query(sql);
  }
  async down() {}
}

function event(name: string) {
  const modelId = randomUUID();
  return buildEvent(
    ModelRegisteredV1,
    {
      modelId,
      vendorId: 'acme-ai',
      name,
      intendedPurpose: 'x',
      riskClass: 'uk-mdr-class-i',
      manufacturerSafetyOfficer: 'psn_acmecso00001',
      actor: { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' },
    },
    { id: randomUUID(), source: '/aal/model-registry/test', time: new Date().toISOString() },
  );
}

describe('outbox relay against real PostgreSQL and Kafka', () => {
  let db: TestDatabase;
  let kafka: KafkaClient;
  let topic: string;
  let publisher: EventPublisher;
  let relay: OutboxRelay;
  let appUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase([
      serviceSchema(SCHEMA, [OutboxOnly], retentionTable(SCHEMA, { outbox: OUTBOX_RETENTION, schema_migrations: MIGRATIONS_RETENTION })),
    ]);
    const k = await createTestKafka('outbox-test');
    kafka = k.kafka;
    topic = topicNames(k.settings.topicPrefix).events['model-registry'];
    publisher = new EventPublisher(kafka);
    appUrl = urlForRole(db.adminUrl, roleNames(SCHEMA).appRole, db.settings.appPassword);
    relay = new OutboxRelay({ connectionString: appUrl, schema: SCHEMA, publish: (m) => publisher.publish(m), pollIntervalMs: 200 });
    relay.start();
  });

  afterAll(async () => {
    await relay?.stop();
    await publisher?.disconnect();
    await db?.drop();
  });

  /** Inserts a row as the writer does: signed. */
  async function insert(client: Client, e: ReturnType<typeof event>) {
    const { toBinaryMessage } = await import('@aal/contracts');
    const m = signedMessage(toBinaryMessage(e), signingKey);
    await client.query(`INSERT INTO ${SCHEMA}.outbox (event_id, topic, message_key, headers, payload) VALUES ($1, $2, $3, $4, $5)`, [
      e.id,
      topic,
      m.key,
      JSON.stringify(m.headers),
      m.value,
    ]);
  }

  it('publishes a row whose transaction commits after a later row was already published', async () => {
    const slow = new Client({ connectionString: appUrl });
    const fast = new Client({ connectionString: appUrl });
    await Promise.all([slow.connect(), fast.connect()]);
    try {
      const early = event('committed late');
      const late = event('committed first');
      await slow.query('BEGIN');
      await insert(slow, early); // takes the lower id, commits last
      await insert(fast, late); // autocommit: higher id, visible first
      await eventually(
        async () => relay.stats().published,
        (n) => n >= 1,
        15000,
        'the later row to be published',
      );
      await slow.query('COMMIT');
      const messages = await readTopic(kafka, topic, 2, 20000);
      expect(messages.map((m) => m.headers?.['ce_id']?.toString()).sort()).toEqual([early.id, late.id].sort());
      for (const m of messages)
        expect(verifyEventSignature(stringHeaders(m.headers), m.value!, stringHeaders(m.headers)[SIGNATURE_HEADER], trusted).ok).toBe(true);
      const pending = await fast.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox WHERE published_at IS NULL`);
      expect(pending.rows[0].n).toBe(0);
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });

  it('publishes a row exactly as the writer stored it, its signature included: the relay holds no key', async () => {
    const client = new Client({ connectionString: appUrl });
    await client.connect();
    try {
      const e = event('copied as stored');
      await insert(client, e);
      const stored = (await client.query(`SELECT message_key, headers, payload FROM ${SCHEMA}.outbox WHERE event_id = $1`, [e.id])).rows[0];
      const published = (await readTopic(kafka, topic, 3, 20000)).filter((m) => m.headers['ce_id'] === e.id);
      expect(published.map((m) => ({ key: m.key, headers: stringHeaders(m.headers), value: m.value?.toString() }))).toEqual([
        { key: stored.message_key, headers: stored.headers, value: stored.payload },
      ]);
      const headers = stringHeaders(published[0]!.headers);
      expect(verifyEventSignature(headers, published[0]!.value!, headers[SIGNATURE_HEADER], trusted)).toEqual({
        ok: true,
        kid: signingKey.kid,
        contentHash: eventContentHash(signedEventHeaders(headers), published[0]!.value!),
      });
    } finally {
      await client.end();
    }
  });

  it('is the only active relay: a second relay on the same schema stays on standby', async () => {
    const second = new OutboxRelay({ connectionString: appUrl, schema: SCHEMA, publish: (m) => publisher.publish(m), pollIntervalMs: 200 });
    second.start();
    try {
      await new Promise((r) => setTimeout(r, 800));
      expect(relay.stats().leader).toBe(true);
      expect(second.stats().leader).toBe(false);
    } finally {
      await second.stop();
    }
  });
});

function stringHeaders(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)]));
}
