import { concernRaised, concernResponse, outputChainIds, testEventSigningKey, asKafkaMessage, eventually } from '@aal/testing';
import { TestLedger } from '../testing/test-ledger';

/**
 * The concerns service's events from real Kafka: signed by concerns and on its topic, they are
 * appended; the same event signed with another producer's key, or claiming another producer as
 * its source, goes to the dead-letter topic with its reason (issue #15).
 */
describe('the ledger intake accepts the concerns service’s events, and only those', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start('concern-events-test');
  });
  afterAll(async () => {
    await ledger?.stop();
  });

  const due = { acknowledgeBy: '2026-11-04T09:00:00.000Z', answerBy: '2026-11-16T09:00:00.000Z' };

  it('appends concern.raised, .acknowledged and .answered signed by concerns, and dead-letters forged ones', async () => {
    const ids = outputChainIds();
    const raised = concernRaised(ids, { time: '2026-11-02T09:00:00.000Z', ...due });
    const acknowledged = concernResponse(raised, { time: '2026-11-02T10:00:00.000Z' });
    const answered = concernResponse(raised, { time: '2026-11-03T10:00:00.000Z', answer: 'referred-to-regulator' });
    const forged = concernRaised(ids, { time: '2026-11-02T09:30:00.000Z', ...due });
    const impostor = concernRaised(ids, { time: '2026-11-02T09:40:00.000Z', ...due });
    const prefix = ledger.settings.topicPrefix;
    await ledger.publisher.publish([
      ...[raised, acknowledged, answered].map((e) => asKafkaMessage(e, prefix)),
      asKafkaMessage(forged, prefix, { signingKey: testEventSigningKey('usage-events') }),
      asKafkaMessage({ ...impostor, source: '/aal/usage-events/x' }, prefix),
    ]);

    const eventIds = [raised.id, acknowledged.id, answered.id];
    const appended = await eventually(
      () =>
        ledger.asAdmin(async (db) =>
          (
            await db.query(`SELECT headers->>'ce_type' AS type FROM ledger.entries WHERE headers->>'ce_id' = ANY($1) ORDER BY seq`, [
              eventIds,
            ])
          ).rows.map((r) => r.type as string),
        ),
      (rows) => rows.length === 3,
      30000,
      'the three concern events appended',
    );
    expect(appended).toEqual(['aal.concern.raised.v1', 'aal.concern.acknowledged.v1', 'aal.concern.answered.v1']);

    const refused = await eventually(
      () =>
        ledger.asAdmin(async (db) =>
          (
            await db.query(`SELECT reason FROM ledger.rejections WHERE headers->>'ce_id' = ANY($1) ORDER BY reason`, [
              [forged.id, impostor.id],
            ])
          ).rows.map((r) => (r.reason as string).split(':')[0]),
        ),
      (rows) => rows.length === 2,
      30000,
      'both refusals',
    );
    expect(refused).toEqual(['EVENT.SIGNATURE_INVALID', 'EVENT.WRONG_PRODUCER']);
  });
});
