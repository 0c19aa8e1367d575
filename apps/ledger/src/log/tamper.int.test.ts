import { withDatabase } from '@aal/database';
import { createKafka, ensureTopics, systemTopicSpecs } from '@aal/kafka';
import { startApp, testCheckpointSettings, type RunningApp, type TestDatabase } from '@aal/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppModule } from '../app.module';
import type { LedgerConfig } from '../config';
import { registeredModel } from '../testing/events';
import { TestLedger } from '../testing/test-ledger';
import { verifyLedgerOverHttp } from './testing/verify-over-http';

const ENTRIES = 40;

/**
 * A superuser who can switch off the append-only trigger rewrites history directly in SQL. The
 * verifier, trusting nothing but the ledger's public key, must notice every kind of rewrite and
 * name where it starts. Each case runs on its own copy of the same honest log.
 */
describe('tampering with the log in SQL is detected by the verifier', () => {
  let original: TestDatabase;
  let config: LedgerConfig;
  const keys = testCheckpointSettings('tamper.test/aal', { minIntervalMs: 50, idleIntervalMs: 200 });
  const copies: string[] = [];

  beforeAll(async () => {
    const ledger = await TestLedger.start('tamper-test', { checkpoints: keys.settings });
    ({ db: original, config } = ledger);
    // Three waves, so the log holds several checkpoints.
    for (let wave = 0; wave < 3; wave++) {
      await ledger.publish(Array.from({ length: ENTRIES / 4 }, (_, i) => registeredModel(`wave ${wave} model ${i}`)));
      await ledger.checkpoint((n) => n === (ENTRIES / 4) * (wave + 1), `checkpoint of wave ${wave}`, 30000);
    }
    await ledger.publish(Array.from({ length: ENTRIES / 4 }, (_, i) => registeredModel(`tail ${i}`)));
    await ledger.checkpoint((n) => n === ENTRIES, 'checkpoint of the whole log', 30000);
    await ledger.closeApp();
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: withDatabase(original.adminUrl, 'postgres') });
    await admin.connect();
    for (const name of copies) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await original?.drop();
  });

  /** A copy of the honest log, tampered with by `sql` (run as superuser, triggers off), then served. */
  async function tampered(sql: string[]): Promise<RunningApp> {
    const name = `${new URL(original.adminUrl).pathname.slice(1)}_t${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: withDatabase(original.adminUrl, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${new URL(original.adminUrl).pathname.slice(1)}"`);
    await admin.end();
    copies.push(name);
    const url = withDatabase(original.adminUrl, name);
    const attacker = new Client({ connectionString: url });
    await attacker.connect();
    await attacker.query('ALTER TABLE ledger.entries DISABLE TRIGGER USER');
    for (const statement of sql) await attacker.query(statement);
    await attacker.query('ALTER TABLE ledger.entries ENABLE TRIGGER USER');
    await attacker.end();
    // Served on topics nobody writes to, so the ledger adds nothing of its own.
    const quiet = { ...config.kafka, topicPrefix: `${config.kafka.topicPrefix}idle${randomBytes(2).toString('hex')}.` };
    await ensureTopics(
      createKafka(quiet, () => undefined),
      systemTopicSpecs(quiet),
    );
    return startApp(AppModule.register({ ...config, database: { ...original.settings, adminUrl: url }, kafka: quiet }), 'ledger');
  }

  async function verdict(sql: string[]) {
    const ledger = await tampered(sql);
    try {
      return await verifyLedgerOverHttp(ledger.baseUrl, keys.settings.signer);
    } finally {
      await ledger.close();
    }
  }

  it('the honest log verifies', async () => {
    const result = await verdict([]);
    expect(result).toMatchObject({ ok: true, entries: ENTRIES, uncoveredEntries: 0 });
    expect(result.checkpoints.map((c) => c.treeSize)).toEqual(expect.arrayContaining([10, 20, 30, 40]));
  });

  it('one byte of a payload changed', async () => {
    const result = await verdict([`UPDATE ledger.entries SET value = overlay(value placing '\\x21'::bytea from 20 for 1) WHERE seq = 17`]);
    expect(result).toMatchObject({ ok: false, problem: { kind: 'entry-tampered', seq: 17 } });
  });

  it('a middle row deleted', async () => {
    const result = await verdict(['DELETE FROM ledger.entries WHERE seq = 23']);
    expect(result).toMatchObject({ ok: false, problem: { kind: 'gap', seq: 23 } });
  });

  it('two rows swapped', async () => {
    const result = await verdict([
      'UPDATE ledger.entries SET seq = 1000000 WHERE seq = 12',
      'UPDATE ledger.entries SET seq = 12 WHERE seq = 13',
      'UPDATE ledger.entries SET seq = 13 WHERE seq = 1000000',
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.seq).toBe(12);
  });

  it('the tail truncated and different entries re-appended with consistent hashes', async () => {
    // The attacker rewrites entries 30.. with new content and recomputes leaf and chain hashes as
    // the ledger would: only the signed checkpoints can expose it.
    const result = await verdict([
      `UPDATE ledger.entries SET value = convert_to(replace(convert_from(value, 'UTF8'), 'tail', 'FAKE'), 'UTF8') WHERE seq >= 30`,
      ...rehashFrom(30),
    ]);
    // Named as precisely as signed data allows: between the checkpoint of size 30 (still good)
    // and the first checkpoint after it.
    expect(result).toMatchObject({ ok: false, problem: { kind: 'checkpoint-root-mismatch' } });
    if (!result.ok) {
      expect(result.problem.checkpointSize).toBeGreaterThan(30);
      expect(result.problem.checkpointSize).toBeLessThanOrEqual(40);
      expect((result.problem.evidence as { divergesAtOrAfter: number }).divergesAtOrAfter).toBe(30);
    }
  });

  it('a forged row inserted in the middle', async () => {
    const result = await verdict([
      'UPDATE ledger.entries SET seq = seq + 1000000 WHERE seq >= 25',
      'UPDATE ledger.entries SET seq = seq - 1000000 + 1 WHERE seq >= 1000000',
      `INSERT INTO ledger.entries SELECT 25, 'forged-' || event_id, source, type, subject, event_time, recorded_at, recorded_at_text, kafka_topic, kafka_partition, kafka_offset, headers, value, content_hash, leaf_hash, chain_hash FROM ledger.entries WHERE seq = 24`,
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.seq).toBe(25);
  });

  it('a checkpoint signed by another key', async () => {
    const forger = testCheckpointSettings('tamper.test/aal');
    const ledger = await tampered([]);
    try {
      const result = await verifyLedgerOverHttp(ledger.baseUrl, forger.settings.signer);
      expect(result).toMatchObject({ ok: false, problem: { kind: 'checkpoint-bad-signature' } });
    } finally {
      await ledger.close();
    }
  });
});

/**
 * SQL recomputing leaf and chain hashes from `from` on, as a careful attacker would: the leaf is
 * SHA-256(0x00 || canonical entry), the chain SHA-256(previous || leaf). Done row by row in plpgsql.
 */
function rehashFrom(from: number): string[] {
  return [
    `DO $$
     DECLARE r record; prev bytea; leaf bytea; body text;
     BEGIN
       SELECT chain_hash INTO prev FROM ledger.entries WHERE seq = ${from - 1};
       FOR r IN SELECT * FROM ledger.entries WHERE seq >= ${from} ORDER BY seq LOOP
         body := '{"headers":{' || (SELECT string_agg(to_json(k)::text || ':' || to_json(v)::text, ',' ORDER BY k COLLATE "C") FROM jsonb_each_text(r.headers) AS h(k, v))
              || '},"offset":' || to_json(r.kafka_offset::text)::text
              || ',"partition":' || r.kafka_partition || ',"recordedAt":' || to_json(r.recorded_at_text)::text
              || ',"seq":' || r.seq || ',"topic":' || to_json(r.kafka_topic)::text || ',"v":"aal-entry-v1","value":'
              || to_json(replace(encode(r.value, 'base64'), E'\\n', ''))::text || '}';
         leaf := sha256('\\x00'::bytea || convert_to(body, 'UTF8'));
         prev := sha256(prev || leaf);
         UPDATE ledger.entries SET leaf_hash = leaf, chain_hash = prev WHERE seq = r.seq;
       END LOOP;
     END $$`,
  ];
}
