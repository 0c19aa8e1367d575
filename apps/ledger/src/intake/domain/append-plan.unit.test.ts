import { subjectOf, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { eventContentHash, signedEventHeaders, SIGNATURE_HEADER, type AcceptedEvent, type AdmissionDecision } from '@aal/ledger-core';
import { actors, makeEvent } from '@aal/testing';
import { acceptedEvents, planAppend } from './append-plan';
import { eventKey, type KnownEvent } from './deduplication';

// ---- test data -------------------------------------------------------------------------------

const SOURCE = '/aal/model-registry/test';
const TOPIC = 'aal.model-registry.events.v1';
const RECORDED_AT = '2026-11-02T10:00:00.000Z';
const modelIdOf = (n: number) => `0f5d2d51-2c43-4a8e-bb2f-${String(n).padStart(12, '0')}`;

const registered = (id: string, n: number, name = 'SepsisWatch'): CloudEvent<unknown> =>
  makeEvent(
    'model.registered',
    {
      modelId: modelIdOf(n),
      vendorId: 'acme-ai',
      name,
      intendedPurpose: 'Early warning of sepsis.',
      riskClass: 'uk-mdr-class-iia',
      manufacturerSafetyOfficer: 'psn_acmecso00001',
      actor: actors.vendorAdmin,
    },
    { id, source: SOURCE, time: '2026-11-02T09:00:00.000Z' },
  );

/** An accepted decision for the event's binary message at `offset`, signed with `signature`. */
function accept(event: CloudEvent<unknown>, offset: number, signature = 'sig-1'): AcceptedEvent {
  const m = toBinaryMessage(event);
  const headers = { ...m.headers, [SIGNATURE_HEADER]: signature };
  return {
    kind: 'accept',
    message: { topic: TOPIC, partition: 2, offset: String(offset), key: m.key, headers, value: Buffer.from(m.value) },
    event,
    headers,
    emitter: 'model-registry',
  };
}

function reject(offset: number): AdmissionDecision {
  const message = {
    topic: TOPIC,
    partition: 2,
    offset: String(offset),
    key: null,
    headers: { ce_id: 'x' },
    value: Buffer.from('not json'),
  };
  return { kind: 'reject', message, code: 'EVENT.MALFORMED', reason: 'not a CloudEvent' };
}

const contentOf = (d: AcceptedEvent) => eventContentHash(signedEventHeaders(d.headers), d.message.value!);
const known = (d: AcceptedEvent, seq: number, contentHash = contentOf(d)): Map<string, KnownEvent> =>
  new Map([[eventKey(d.event.source, d.event.id), { seq, contentHash }]]);
const noneKnown = new Map<string, KnownEvent>();

// ---- planAppend -------------------------------------------------------------------------------

describe('planAppend', () => {
  it('given new events, when planned, then each becomes an entry numbered on from the head, recorded at the time given, and the partition moves past the last', () => {
    const batch = [accept(registered('a', 1), 40), accept(registered('b', 2), 41)];
    const plan = planAppend(batch, noneKnown, 17, RECORDED_AT);
    expect(plan.entries).toEqual([
      {
        seq: 17,
        recordedAt: RECORDED_AT,
        topic: TOPIC,
        partition: 2,
        offset: '40',
        headers: batch[0]!.headers,
        value: batch[0]!.message.value,
        eventId: 'a',
        source: SOURCE,
        type: batch[0]!.event.type,
        subject: subjectOf('model', modelIdOf(1)),
        eventTime: '2026-11-02T09:00:00.000Z',
        contentHash: contentOf(batch[0]!),
      },
      expect.objectContaining({ seq: 18, offset: '41', eventId: 'b' }),
    ]);
    expect(plan).toMatchObject({ rejections: [], duplicates: 0, nextOffset: 42n });
  });

  it('given an event the log holds, when it is sent again (even signed again), then it makes no entry and counts as a duplicate', () => {
    const first = accept(registered('a', 1), 40, 'sig-1');
    const resent = accept(registered('a', 1), 41, 'sig-2');
    const plan = planAppend([resent], known(first, 3), 17, RECORDED_AT);
    expect(plan).toEqual({ entries: [], rejections: [], duplicates: 1, nextOffset: 42n });
  });

  it('given an event id the log holds with other content, when planned, then the message is refused as a conflict naming the recorded seq', () => {
    const original = accept(registered('a', 1, 'SepsisWatch'), 40);
    const changed = accept(registered('a', 1, 'SepsisWatch Pro'), 41);
    const plan = planAppend([changed], known(original, 3), 17, RECORDED_AT);
    expect(plan.entries).toEqual([]);
    expect(plan.rejections).toEqual([
      {
        topic: TOPIC,
        partition: 2,
        offset: '41',
        code: 'EVENT.CONFLICT',
        reason: `event id a from ${SOURCE} was already recorded at ledger seq 3 with different content`,
        headers: changed.message.headers,
        value: changed.message.value,
      },
    ]);
  });

  it('given refusals by admission and by conflict, when planned, then they come in offset order and new events are numbered without gaps', () => {
    const batch = [accept(registered('a', 1), 10), accept(registered('a', 1, 'Other'), 11), reject(12), accept(registered('c', 3), 13)];
    const plan = planAppend(batch, noneKnown, 0, RECORDED_AT);
    expect(plan.rejections.map((r) => [r.offset, r.code])).toEqual([
      ['11', 'EVENT.CONFLICT'],
      ['12', 'EVENT.MALFORMED'],
    ]);
    expect(plan.entries.map((e) => [e.seq, e.offset])).toEqual([
      [0, '10'],
      [1, '13'],
    ]);
    expect(plan.nextOffset).toBe(14n);
  });

  it('given only refused messages, when planned, then nothing is appended but the partition still moves past them', () => {
    expect(planAppend([reject(5), reject(6)], noneKnown, 9, RECORDED_AT)).toMatchObject({ entries: [], duplicates: 0, nextOffset: 7n });
  });

  it('refuses to plan nothing: a fresh batch has at least one message', () => {
    expect(() => planAppend([], noneKnown, 0, RECORDED_AT)).toThrow(/at least one/);
  });
});

describe('acceptedEvents', () => {
  it('keeps the accepted decisions, in order', () => {
    const a = accept(registered('a', 1), 1);
    const c = accept(registered('c', 3), 3);
    expect(acceptedEvents([a, reject(2), c])).toEqual([a, c]);
  });
});
