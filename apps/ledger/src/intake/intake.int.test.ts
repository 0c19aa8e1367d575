import { EventPublisher, type KafkaSettings, type KafkaClient, readTopic } from '@aal/kafka';
import { subjectOf, topicNames } from '@aal/contracts';
import {
  actors,
  asKafkaMessage,
  eventually,
  httpClient,
  makeEvent,
  outputChainEvents,
  outputChainIds,
  testCheckpointSettings,
  tokenFor,
} from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { LEDGER_SCHEMA } from '../database/ledger.schema';
import { verifyLedgerOverHttp } from '../log/testing/verify-over-http';
import { registeredModel } from '../testing/events';
import { TestLedger } from '../testing/test-ledger';
import { DEAD_LETTER_HEADERS } from './infrastructure/dead-letter';

describe('ledger intake from real Kafka into PostgreSQL', () => {
  let kafka: KafkaClient;
  let settings: KafkaSettings;
  let publisher: EventPublisher;
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  const checkpoints = testCheckpointSettings().settings;
  /** The log spans every organisation: reading it needs an auditor with the all-organisations grant. */
  const auditorClient = (baseUrl: string): ReturnType<typeof httpClient> => {
    const plain = httpClient(baseUrl);
    const auditor = { organisationId: 'hq', personId: 'psn_auditor00001', role: 'auditor' };
    return async (method, path, options = {}) =>
      plain(method, path, {
        ...options,
        headers: { authorization: `Bearer ${await tokenFor(auditor, { grants: ['all-organisations'] })}`, ...options.headers },
      });
  };

  const entryCount = async () => (await call('GET', '/entries?limit=1000')).body.entries.length as number;

  beforeAll(async () => {
    ledger = await TestLedger.start('ledger-intake-test', { checkpoints });
    ({ kafka, settings, publisher } = ledger);
    call = auditorClient(ledger.baseUrl);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('appends valid events once, dead-letters bad ones with the reason, and keeps going', async () => {
    const ids = outputChainIds();
    const chain = outputChainEvents(ids);
    const [registered] = chain;
    const topic = topicNames(settings.topicPrefix).events['model-registry'];

    await publisher.publish([
      asKafkaMessage(registered!, settings.topicPrefix),
      // the same event again (a producer retry): no second entry
      asKafkaMessage(registered!, settings.topicPrefix),
      // not JSON at all
      { topic, key: subjectOf('model', ids.modelId), headers: { 'content-type': 'application/json', ce_id: 'x' }, value: '{not json' },
      // the same id and source with different content: refused, never dropped silently
      asKafkaMessage(
        makeEvent(
          'model.registered',
          { ...(registered!.data as object), name: 'Forged' },
          { id: registered!.id, source: registered!.source, time: registered!.time },
        ),
        settings.topicPrefix,
      ),
      // a deployment event on the model-registry topic: wrong producer
      { ...asKafkaMessage(chain[2]!, settings.topicPrefix), topic },
    ]);
    // the pipeline keeps going after the poison messages
    await publisher.publish(chain.slice(1).map((e) => asKafkaMessage(e, settings.topicPrefix)));

    await eventually(entryCount, (n) => n === chain.length, 30000, `${chain.length} entries`);

    const { entries } = (await call('GET', '/entries?limit=1000')).body;
    expect(entries.map((e: { seq: number }) => e.seq)).toEqual(chain.map((_, i) => i));
    expect(new Set(entries.map((e: { event: { id: string } }) => e.event.id)).size).toBe(chain.length);
    const seqOf = new Map(entries.map((e: { seq: number; event: { id: string } }) => [e.event.id, e.seq]));

    // Partitions are consumed independently, so dead letters arrive in no fixed order.
    const dead = await readTopic(kafka, topicNames(settings.topicPrefix).deadLetter, 3);
    const reasons = dead.map((m) => m.headers?.[DEAD_LETTER_HEADERS.reason]?.toString() ?? '');
    expect(reasons).toHaveLength(3);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^malformed CloudEvent: .*\/value is not JSON/),
        expect.stringContaining(`already recorded at ledger seq ${seqOf.get(registered!.id)} with different content`),
        expect.stringContaining('aal.deployment.requested.v1 is emitted only by deployment-approval'),
      ]),
    );
    const poison = dead.find((m) => m.headers?.[DEAD_LETTER_HEADERS.reason]?.toString().startsWith('malformed'));
    expect(poison!.value?.toString()).toBe('{not json');
    expect(poison!.headers?.[DEAD_LETTER_HEADERS.topic]?.toString()).toBe(topic);

    // The independent verifier recomputes every leaf and chain hash (and checks the checkpoints so far).
    expect(await verifyLedgerOverHttp(ledger.baseUrl, checkpoints.signer)).toMatchObject({ ok: true, entries: entries.length });

    const answer = await eventually(
      () => call('GET', `/outputs/${ids.outputId}/accountability`),
      (r) => r.status === 200 && r.body.actedOn.actions.length === 1,
      30000,
      'accountability answer',
    );
    // Evidence names the entries that hold exactly those events (ledger order is arrival order).
    expect(answer.body.built.version).toMatchObject({
      version: '2.1.0',
      statusAtOutputTime: 'released',
      evidence: [seqOf.get(chain[1]!.id)],
    });
    expect(answer.body.approvedAndDeployed.approval.approvedBy).toEqual(actors.safetyOfficer);
    expect(answer.body.approvedAndDeployed.stateAtOutputTime.state).toBe('active');
    expect(answer.body.actedOn.actions[0]).toMatchObject({
      action: 'overridden',
      reviewDurationSeconds: 95,
      evidence: [seqOf.get(chain[9]!.id)],
    });
  });

  it('is exactly once across a restart: redelivered offsets make no new entries', async () => {
    const before = await entryCount();
    await ledger.restart(async () => {
      const event = registeredModel('Restart');
      await ledger.publish([event, event]);
      // Forget the committed Kafka offsets: the group re-reads everything from the start, as after a
      // crash between the PostgreSQL commit and the offset commit.
      await kafka.deleteGroup(`${settings.topicPrefix}aal-ledger`).catch(() => undefined);
    });
    call = auditorClient(ledger.baseUrl);
    await eventually(entryCount, (n) => n === before + 1, 30000, 'one more entry');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await entryCount()).toBe(before + 1);
  });

  it("the service's database role cannot change or remove entries", async () => {
    const client = new Client({
      connectionString: ledger.db.settings.adminUrl.replace('//postgres@', `//${LEDGER_SCHEMA.appRole}:${ledger.db.settings.appPassword}@`),
    });
    await client.connect();
    try {
      await expect(client.query("UPDATE ledger.entries SET subject = 'x' WHERE seq = 0")).rejects.toThrow(/permission denied/);
      await expect(client.query('DELETE FROM ledger.entries WHERE seq = 0')).rejects.toThrow(/permission denied/);
      await expect(client.query('TRUNCATE ledger.entries')).rejects.toThrow(/permission denied/);
      await expect(client.query('DROP TRIGGER entries_append_only ON ledger.entries')).rejects.toThrow(/must be owner/);
    } finally {
      await client.end();
    }
    // Even the owner is stopped by the trigger.
    const owner = new Client({ connectionString: ledger.db.settings.adminUrl, options: `-c role=${LEDGER_SCHEMA.ownerRole}` });
    await owner.connect();
    try {
      await expect(owner.query('DELETE FROM ledger.entries WHERE seq = 0')).rejects.toThrow(/append-only: DELETE refused/);
      await expect(owner.query("UPDATE ledger.entries SET subject = 'x' WHERE seq = 0")).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(owner.query('TRUNCATE ledger.entries')).rejects.toThrow(/append-only: TRUNCATE refused/);
    } finally {
      await owner.end();
    }
  });

  // Issue #11, item 3 on the Kafka side: text PostgreSQL cannot store, in the data, in a header or
  // quoted back by the JSON parser, is refused and recorded, and the pipeline keeps going.
  it('dead-letters messages carrying U+0000 or a lone surrogate, records each refusal, and keeps appending', async () => {
    const before = await entryCount();
    const marker = randomUUID();
    const valid = () => registeredModel('Storable');
    const inData = asKafkaMessage(valid(), settings.topicPrefix);
    const inHeader = asKafkaMessage(valid(), settings.topicPrefix);
    const topic = inData.topic;
    const dataEventId = valueOfHeader(inData.headers, 'ce_id');
    const isMine = (row: { reason: string; headers: Record<string, string> }) =>
      JSON.stringify(row).includes(marker) || row.headers['ce_id'] === dataEventId;
    await publisher.publish([
      {
        ...inData,
        value: JSON.stringify({ ...JSON.parse(inData.value as string), name: `nul\u0000${marker}`, intendedPurpose: 'lone \ud800' }),
      },
      { ...inHeader, headers: { ...inHeader.headers, ce_traceparent: `x\u0000${marker}` } },
      // The parser's reason quotes the raw NUL back.
      {
        topic,
        key: subjectOf('model', marker),
        headers: { 'content-type': 'application/json', ce_id: marker },
        value: `{"${marker}":\u0000}`,
      },
      asKafkaMessage(valid(), settings.topicPrefix),
    ]);
    await eventually(entryCount, (n) => n === before + 1, 30000, 'the valid event appended after the poison messages');

    const admin = new Client({ connectionString: ledger.db.settings.adminUrl });
    await admin.connect();
    try {
      const rows = await eventually(
        async () =>
          (
            await admin.query<{ reason: string; headers: Record<string, string> }>(
              'SELECT reason, headers FROM ledger.rejections ORDER BY id',
            )
          ).rows,
        (r) => r.filter(isMine).length === 3,
        30000,
        'three refusals recorded',
      );
      const mine = rows.filter(isMine);
      expect(mine.map((r) => r.reason)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^EVENT\.INVALID: invalid aal\.model\.registered\.v1: \/data\/name must match pattern .*\/data\/intendedPurpose must match pattern/,
          ),
          'EVENT.MALFORMED: malformed CloudEvent: /headers/ce_traceparent holds U+0000 or an unpaired surrogate',
          expect.stringMatching(/^EVENT\.MALFORMED: malformed CloudEvent: .*\/value is not JSON: .*":\uFFFD\}" is not valid JSON/),
        ]),
      );
      expect(mine.find((r) => r.reason.includes('ce_traceparent'))!.headers['ce_traceparent']).toBe(`x\uFFFD${marker}`);
    } finally {
      await admin.end();
    }
    const dead = await readTopic(kafka, topicNames(settings.topicPrefix).deadLetter, 6);
    const header = dead.find((m) => m.headers?.['ce_traceparent']?.toString() === `x\u0000${marker}`);
    expect(header?.headers?.[DEAD_LETTER_HEADERS.code]?.toString()).toBe('EVENT.MALFORMED');
  });
});

function valueOfHeader(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}
