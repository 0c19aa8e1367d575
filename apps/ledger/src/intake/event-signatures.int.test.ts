import { topicNames } from '@aal/contracts';
import { type EventPublisher, type KafkaSettings, type KafkaClient, readTopic } from '@aal/kafka';
import { eventSigningKey, signEvent, signEventBatch, SIGNATURE_HEADER } from '@aal/ledger-core';
import { asKafkaMessage, eventually, testEventSigningKey } from '@aal/testing';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { registeredModel } from '../testing/events';
import { TestLedger } from '../testing/test-ledger';
import { DEAD_LETTER_HEADERS } from './infrastructure/dead-letter';

/**
 * Event authenticity (issue #6) from real Kafka: unsigned and forged events put straight on a
 * producer's topic end up on the dead-letter topic with their code and reason, the intake keeps
 * going, and an honest event is recorded with its signature.
 */
describe('the ledger intake checks who emitted each event', () => {
  let kafka: KafkaClient;
  let settings: KafkaSettings;
  let publisher: EventPublisher;
  let ledger: TestLedger;
  let admin: Client;

  beforeAll(async () => {
    ledger = await TestLedger.start('event-signatures-test');
    ({ kafka, settings, publisher } = ledger);
    admin = new Client({ connectionString: ledger.db.adminUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await ledger?.stop();
  });

  it('dead-letters unsigned and forged events with their reason, and appends the next good event with its signature', async () => {
    // One subject, so every message lands on one partition, in this order: the good event comes last.
    const modelId = randomUUID();
    const model = (name: string) => registeredModel(name, { modelId });
    const forger = eventSigningKey(generateKeyPairSync('ed25519').privateKey);
    const unsigned = asKafkaMessage(model('Unsigned'), settings.topicPrefix, { signingKey: null });
    const byForger = asKafkaMessage(model('Forged key'), settings.topicPrefix, { signingKey: forger });
    const byOtherProducer = asKafkaMessage(model('Signed by usage-events'), settings.topicPrefix, {
      signingKey: testEventSigningKey('usage-events'),
    });
    const honestOther = asKafkaMessage(model('Another event'), settings.topicPrefix);
    const otherEvents = asKafkaMessage(model('Replayed signature'), settings.topicPrefix);
    const replayed = { ...otherEvents, headers: { ...otherEvents.headers, [SIGNATURE_HEADER]: honestOther.headers[SIGNATURE_HEADER]! } };
    const signedThenChanged = asKafkaMessage(model('Tampered'), settings.topicPrefix);
    const tampered = { ...signedThenChanged, value: String(signedThenChanged.value).replace('Tampered', 'Tampere!') };
    const good = model('Good');
    const goodMessage = asKafkaMessage(good, settings.topicPrefix);

    await publisher.publish([unsigned, byForger, byOtherProducer, replayed, tampered, goodMessage]);

    const stored = await eventually(
      async () => (await admin.query('SELECT seq, headers, value FROM ledger.entries WHERE event_id = $1', [good.id])).rows,
      (rows) => rows.length === 1,
      30000,
      'the good event to be appended',
    );
    expect(stored[0].headers[SIGNATURE_HEADER]).toBe(goodMessage.headers[SIGNATURE_HEADER]);
    expect(stored[0].headers[SIGNATURE_HEADER]).toBe(
      signEvent(goodMessage.headers, String(goodMessage.value), testEventSigningKey('model-registry')),
    );
    expect(Number((await admin.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n)).toBe(1);

    const dead = await readTopic(kafka, topicNames(settings.topicPrefix).deadLetter, 5);
    const header = (m: (typeof dead)[number], name: string) => m.headers?.[name]?.toString();
    const byName = new Map(dead.map((m) => [JSON.parse(m.value!.toString()).name as string, m]));
    const expectDead = (name: string, code: string, reason: RegExp) => {
      const m = byName.get(name);
      expect({ name, code: m && header(m, DEAD_LETTER_HEADERS.code), reason: m && header(m, DEAD_LETTER_HEADERS.reason) }).toEqual({
        name,
        code,
        reason: expect.stringMatching(reason),
      });
    };
    expectDead('Unsigned', 'EVENT.UNSIGNED', /^the event has no aal_signature header \(model-registry, \/aal\/model-registry\/test\)$/);
    expectDead('Forged key', 'EVENT.SIGNATURE_INVALID', new RegExp(`^key id ${forger.kid} is not a key of this event's producer`));
    expectDead(
      'Signed by usage-events',
      'EVENT.SIGNATURE_INVALID',
      new RegExp(`^key id ${testEventSigningKey('usage-events').kid} is not a key of this event's producer`),
    );
    expectDead('Replayed signature', 'EVENT.SIGNATURE_INVALID', /^the signature by key .+ does not match the event/);
    expectDead('Tampere!', 'EVENT.SIGNATURE_INVALID', /^the signature by key .+ does not match the event/);
    // The dead letter keeps the message as it arrived, its signature included.
    expect(header(byName.get('Forged key')!, SIGNATURE_HEADER)).toBe(byForger.headers[SIGNATURE_HEADER]);
    expect(header(byName.get('Forged key')!, DEAD_LETTER_HEADERS.topic)).toBe(topicNames(settings.topicPrefix).events['model-registry']);

    const refusals = (await admin.query('SELECT reason FROM ledger.rejections ORDER BY kafka_offset')).rows.map((r) => r.reason as string);
    expect(refusals.map((r) => r.split(':')[0])).toEqual([
      'EVENT.UNSIGNED',
      'EVENT.SIGNATURE_INVALID',
      'EVENT.SIGNATURE_INVALID',
      'EVENT.SIGNATURE_INVALID',
      'EVENT.SIGNATURE_INVALID',
    ]);
  });

  it('dead-letters an event whose source names no configured producer, or a producer that does not emit its type', async () => {
    const stranger = registeredModel('Source test', { source: '/aal/shadow-registry/x' });
    const impostor = registeredModel('Source test', { source: '/aal/usage-events/x' });
    await publisher.publish([
      asKafkaMessage(stranger, settings.topicPrefix, { signingKey: testEventSigningKey('model-registry') }),
      asKafkaMessage(impostor, settings.topicPrefix),
    ]);
    const dead = await eventually(
      async () =>
        (
          await admin.query(`SELECT reason FROM ledger.rejections WHERE headers->>'ce_id' = ANY($1) ORDER BY reason`, [
            [stranger.id, impostor.id],
          ])
        ).rows.map((r) => r.reason),
      (rows) => rows.length === 2,
      30000,
      'both refusals',
    );
    expect(dead).toEqual([
      'EVENT.UNKNOWN_SOURCE: source "/aal/shadow-registry/x" names no producer whose event keys are trusted here',
      'EVENT.WRONG_PRODUCER: aal.model.registered.v1 is emitted only by model-registry, but its source names usage-events',
    ]);
  });

  it('given a batch signed once, then every event is appended with its own inclusion path, and one changed event alone is refused', async () => {
    const modelId = randomUUID();
    const events = ['Batch 0', 'Batch 1', 'Batch 2', 'Batch 3', 'Batch 4'].map((name) => registeredModel(name, { modelId }));
    const unsigned = events.map((e) => asKafkaMessage(e, settings.topicPrefix, { signingKey: null }));
    const signatures = signEventBatch(
      unsigned.map((m) => ({ headers: m.headers, value: String(m.value) })),
      testEventSigningKey('model-registry'),
    );
    const signed = unsigned.map((m, i) => ({ ...m, headers: { ...m.headers, [SIGNATURE_HEADER]: signatures[i]! } }));
    // Changed after signing: its path no longer leads to the signed root; the others still do.
    signed[3] = { ...signed[3]!, value: String(signed[3]!.value).replace('Batch 3', 'Batch !') };
    await publisher.publish(signed);

    const stored = await eventually(
      async () =>
        (await admin.query('SELECT event_id, headers FROM ledger.entries WHERE event_id = ANY($1) ORDER BY seq', [events.map((e) => e.id)]))
          .rows,
      (rows) => rows.length === 4,
      30000,
      'the four unchanged events of the batch',
    );
    expect(stored.map((r) => r.event_id)).toEqual([0, 1, 2, 4].map((i) => events[i]!.id));
    for (const row of stored) expect(row.headers[SIGNATURE_HEADER]).toBe(signatures[events.findIndex((e) => e.id === row.event_id)]);
    const refused = await eventually(
      async () => (await admin.query(`SELECT reason FROM ledger.rejections WHERE headers->>'ce_id' = $1`, [events[3]!.id])).rows,
      (rows) => rows.length === 1,
      30000,
      'the changed event refused',
    );
    expect(refused[0].reason).toMatch(/^EVENT.SIGNATURE_INVALID: the signature by key .+ does not match the event/);
  });
});
