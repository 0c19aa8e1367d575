import { topicNames } from '@aal/contracts';
import { type EventPublisher, type KafkaSettings, type KafkaClient, readTopic } from '@aal/kafka';
import { eventSigningKey, signEvent, SIGNATURE_HEADER } from '@aal/ledger-core';
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
});
