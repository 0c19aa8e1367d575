import { SIGNATURE_HEADER, verifierKeyString } from '@aal/ledger-core';
import {
  createTestDatabase,
  createTestKafka,
  eventually,
  httpClient,
  startApp,
  testAuthSettings,
  testCheckpointSettings,
  testEventKeysDocument,
  testProducerConfig,
  testLedgerEventKeys,
  type RunningApp,
  type TestDatabase,
} from '@aal/testing';
import { BUNDLE_FORMAT, runCli, type LedgerBundle, type WireCheckpoint, type WireEntry } from '@aal/verifier';
import { rehashFrom, signCheckpoints } from '../libs/verifier/src/testing/log-fixture';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppModule as Ledger } from '../apps/ledger/src/app.module';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { capturedIo } from '../apps/ledger/src/testing/captured-io';
import { AppModule as ModelRegistry } from '../apps/model-registry/src/app.module';
import { MODEL_REGISTRY_SCHEMA } from '../apps/model-registry/src/database/model-registry.schema';

const ORIGIN = 'signatures.test/aal';
const vendor = { organisationId: 'acme-ai', personId: 'psn_vendoradmin01', role: 'vendor-admin' };

/**
 * Event authenticity end to end: model-registry signs what it publishes, the ledger records the
 * signature with the event, and the offline verifier, given the producers' keys, re-checks who
 * emitted every entry, also after someone with the database and the log's own key rewrote one.
 */
describe('events are signed by their producer, recorded with the signature and re-checked offline', () => {
  let db: TestDatabase;
  const apps: RunningApp[] = [];
  let admin: Client;
  let dir: string;
  const checkpoints = testCheckpointSettings(ORIGIN, { minIntervalMs: 50, idleIntervalMs: 200 });

  beforeAll(async () => {
    db = await createTestDatabase([MODEL_REGISTRY_SCHEMA, LEDGER_SCHEMA]);
    const { settings } = await createTestKafka('signatures-e2e');
    apps.push(
      await startApp(
        ModelRegistry.register(testProducerConfig('model-registry', { database: db.settings, kafka: settings, instanceId: 'e2e' })),
        'model-registry',
      ),
      await startApp(
        Ledger.register({
          port: 0,
          database: db.settings,
          kafka: { ...settings, clientId: 'ledger' },
          checkpoints: checkpoints.settings,
          auth: testAuthSettings('ledger'),
          ...testLedgerEventKeys(),
        }),
        'ledger',
      ),
    );
    admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    dir = mkdtempSync(join(tmpdir(), 'aal-signatures-e2e-'));
    writeFileSync(join(dir, 'event-keys.json'), JSON.stringify(testEventKeysDocument()));
  });

  afterAll(async () => {
    await admin?.end();
    for (const app of apps.reverse()) await app.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The log as an export bundle, read straight from the database (below the API). */
  async function bundleFromDatabase(): Promise<LedgerBundle> {
    const entries = (
      await admin.query(
        `SELECT seq, recorded_at_text, kafka_topic, kafka_partition, kafka_offset, headers, value, leaf_hash, chain_hash FROM ledger.entries ORDER BY seq`,
      )
    ).rows.map(
      (r): WireEntry => ({
        seq: Number(r.seq),
        recordedAt: r.recorded_at_text,
        topic: r.kafka_topic,
        partition: r.kafka_partition,
        offset: String(r.kafka_offset),
        headers: r.headers,
        value: r.value.toString('base64'),
        leafHash: r.leaf_hash.toString('hex'),
        chainHash: r.chain_hash.toString('hex'),
      }),
    );
    const listed = (await admin.query('SELECT id, tree_size, root_hash, note, created_at FROM ledger.checkpoints ORDER BY id')).rows.map(
      (r): WireCheckpoint => ({
        id: Number(r.id),
        treeSize: Number(r.tree_size),
        rootHash: r.root_hash.toString('hex'),
        note: r.note,
        createdAt: r.created_at.toISOString(),
      }),
    );
    return {
      format: BUNDLE_FORMAT,
      origin: ORIGIN,
      verifierKey: verifierKeyString(checkpoints.settings.signer.name, checkpoints.settings.signer.publicKey),
      entries,
      checkpoints: listed,
    };
  }

  async function ledgerVerify(bundle: LedgerBundle, ...options: string[]) {
    const file = join(dir, `bundle-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(bundle));
    const { io, stdout, stderr } = capturedIo(dir);
    const status = await runCli(
      ['--bundle', file, '--key', bundle.verifierKey, '--no-progress', '--state', join(dir, `state-${Math.random()}.json`), ...options],
      io,
    );
    return { status, stdout: stdout(), stderr: stderr() };
  }

  it('records the producer’s signature with each event, and the offline verifier re-checks it', async () => {
    const call = httpClient(apps[0]!.baseUrl);
    for (const name of ['SepsisWatch', 'DeteriorationWatch', 'FallsWatch']) {
      expect(
        (
          await call('POST', '/models', {
            caller: vendor,
            body: { name, intendedPurpose: 'Signature e2e.', riskClass: 'uk-mdr-class-i', manufacturerSafetyOfficer: 'psn_acmecso00001' },
          })
        ).status,
      ).toBe(201);
    }
    await eventually(
      async () => Number((await admin.query('SELECT max(tree_size) AS n FROM ledger.checkpoints')).rows[0].n ?? 0),
      (n) => n === 3,
      30000,
      'a checkpoint of the three entries',
    );

    // The entry holds the very signature the producer's outbox wrote.
    const outbox = (await admin.query('SELECT event_id, headers FROM model_registry.outbox')).rows;
    const entries = (await admin.query('SELECT event_id, source, headers FROM ledger.entries ORDER BY seq')).rows;
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(entry.source).toBe('/aal/model-registry/e2e');
      expect(entry.headers[SIGNATURE_HEADER]).toMatch(/^[\w-]+\.\.[\w-]+$/);
      expect(entry.headers[SIGNATURE_HEADER]).toBe(outbox.find((o) => o.event_id === entry.event_id).headers[SIGNATURE_HEADER]);
    }

    const honest = await bundleFromDatabase();
    const checked = await ledgerVerify(honest, '--event-keys', 'event-keys.json');
    expect(checked).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/: 3 entries, \d+ checkpoints?, every event signed by its producer;/),
    });
    const unchecked = await ledgerVerify(honest);
    expect(unchecked.status).toBe(0);
    expect(unchecked.stderr).toContain('emitters were not checked');
  });

  it('catches an entry whose signature header was altered in the database', async () => {
    const [first, second] = (await admin.query('SELECT headers FROM ledger.entries ORDER BY seq LIMIT 2')).rows;
    await admin.query('ALTER TABLE ledger.entries DISABLE TRIGGER USER');
    try {
      await admin.query(
        `UPDATE ledger.entries SET headers = jsonb_set(headers, '{${SIGNATURE_HEADER}}', to_jsonb($1::text)) WHERE seq = 1`,
        [first.headers[SIGNATURE_HEADER]],
      );
    } finally {
      await admin.query('ALTER TABLE ledger.entries ENABLE TRIGGER USER');
    }
    expect(second.headers[SIGNATURE_HEADER]).not.toBe(first.headers[SIGNATURE_HEADER]);
    const altered = await bundleFromDatabase();

    // As altered: the entry no longer hashes to its leaf.
    const asAltered = await ledgerVerify(altered, '--event-keys', 'event-keys.json');
    expect(asAltered.status).toBe(1);
    expect(asAltered.stderr).toContain('FAILED at seq 1 (entry-tampered)');

    // Covered up by someone who also holds the log's key (hashes recomputed, checkpoint re-signed):
    // only the producers' keys still tell, and name the entry.
    const entries = rehashFrom(altered.entries, 1);
    const coveredUp = { ...altered, entries, checkpoints: signCheckpoints(entries, [3], ORIGIN, checkpoints.settings.signer) };
    expect((await ledgerVerify(coveredUp)).status).toBe(0);
    const caught = await ledgerVerify(coveredUp, '--event-keys', 'event-keys.json');
    expect(caught.status).toBe(1);
    expect(caught.stderr).toContain('FAILED at seq 1 (event-signature-invalid)');
    expect(caught.stderr).toContain('does not match the event (model-registry)');
  });
});
