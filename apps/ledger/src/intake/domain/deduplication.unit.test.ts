import { buildEvent, latestDefinition, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { createHash } from 'node:crypto';
import { deduplicate, eventKey, type KnownEvent } from './deduplication';
import type { AdmissionDecision } from '@aal/ledger-core';

// ---- test data -------------------------------------------------------------------------------

type Accepted = Extract<AdmissionDecision, { kind: 'accept' }>;

const SOURCE = '/aal/model-registry/test';
const modelIdOf = (n: number) => `0f5d2d51-2c43-4a8e-bb2f-${String(n).padStart(12, '0')}`;

function registered(id: string, name = 'SepsisWatch', n = 1): CloudEvent<unknown> {
  return buildEvent(
    latestDefinition('model.registered'),
    {
      modelId: modelIdOf(n),
      vendorId: 'acme-ai',
      name,
      intendedPurpose: 'Early warning of sepsis.',
      riskClass: 'uk-mdr-class-iia',
      manufacturerSafetyOfficer: 'psn_acmecso00001',
      actor: { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' },
    },
    { id, source: SOURCE, time: '2026-11-02T09:00:00.000Z' },
  );
}

let offset = 0;
/** An accepted intake decision, as examine() would produce for the event's binary message. */
function accept(event: CloudEvent<unknown>): Accepted {
  const m = toBinaryMessage(event);
  const message = {
    topic: 'aal.model-registry.events.v1',
    partition: 0,
    offset: String(offset++),
    key: m.key,
    headers: m.headers,
    value: Buffer.from(m.value),
  };
  return { kind: 'accept', message, event, headers: m.headers, emitter: 'model-registry' };
}

/** Stands in for the ledger's content hash: the value bytes are the content here. */
const contentHashOf = (d: Accepted) => createHash('sha256').update(d.message.value!).digest();

const noneKnown = new Map<string, KnownEvent>();

// ---- deduplicate -------------------------------------------------------------------------------

describe('deduplicate', () => {
  it('given new events, when deduplicated, then they are numbered from nextSeq in the order given, with their content hashes', () => {
    const batch = [accept(registered('a', 'A', 1)), accept(registered('b', 'B', 2)), accept(registered('c', 'C', 3))];
    const outcomes = deduplicate(batch, noneKnown, contentHashOf, 17);
    expect(outcomes).toEqual([
      { kind: 'new', seq: 17, decision: batch[0], contentHash: contentHashOf(batch[0]!) },
      { kind: 'new', seq: 18, decision: batch[1], contentHash: contentHashOf(batch[1]!) },
      { kind: 'new', seq: 19, decision: batch[2], contentHash: contentHashOf(batch[2]!) },
    ]);
  });

  it('given an empty batch, when deduplicated, then there are no outcomes', () => {
    expect(deduplicate([], noneKnown, contentHashOf, 0)).toEqual([]);
  });

  it('given an identical redelivery of a recorded event, when deduplicated, then it is a duplicate of the original seq and takes no number', () => {
    const original = accept(registered('a'));
    const known = new Map([[eventKey(SOURCE, 'a'), { seq: 5, contentHash: contentHashOf(original) }]]);
    const fresh = accept(registered('b', 'B', 2));
    expect(deduplicate([accept(registered('a')), fresh], known, contentHashOf, 9)).toEqual([
      { kind: 'duplicate', seq: 5 },
      { kind: 'new', seq: 9, decision: fresh, contentHash: contentHashOf(fresh) },
    ]);
  });

  it('given the same event twice in one batch, when deduplicated, then the second is a duplicate of the seq given to the first', () => {
    const outcomes = deduplicate(
      [accept(registered('a')), accept(registered('b', 'B', 2)), accept(registered('a'))],
      noneKnown,
      contentHashOf,
      3,
    );
    expect(outcomes.map((o) => [o.kind, 'seq' in o ? o.seq : undefined])).toEqual([
      ['new', 3],
      ['new', 4],
      ['duplicate', 3],
    ]);
  });

  it('given a recorded id with different content, when deduplicated, then it is a conflict whose reason names the id, source and seq', () => {
    const known = new Map([[eventKey(SOURCE, 'a'), { seq: 5, contentHash: contentHashOf(accept(registered('a'))) }]]);
    const forged = accept(registered('a', 'Forged'));
    expect(deduplicate([forged], known, contentHashOf, 9)).toEqual([
      {
        kind: 'conflict',
        decision: forged,
        reason: `event id a from ${SOURCE} was already recorded at ledger seq 5 with different content`,
      },
    ]);
  });

  it('given the same id with different content inside one batch, when deduplicated, then the later one conflicts with the seq of the first and takes no number', () => {
    const outcomes = deduplicate(
      [accept(registered('a')), accept(registered('a', 'Forged')), accept(registered('b', 'B', 2))],
      noneKnown,
      contentHashOf,
      0,
    );
    expect(outcomes[0]).toMatchObject({ kind: 'new', seq: 0 });
    expect(outcomes[1]).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('already recorded at ledger seq 0 with different content'),
    });
    expect(outcomes[2]).toMatchObject({ kind: 'new', seq: 1 });
  });

  it('given the same id from two sources, when deduplicated, then they are different events', () => {
    const other = registered('a');
    const fromElsewhere = accept({ ...other, source: '/aal/model-registry/other' });
    const outcomes = deduplicate([accept(registered('a')), fromElsewhere], noneKnown, contentHashOf, 0);
    expect(outcomes.map((o) => o.kind)).toEqual(['new', 'new']);
  });

  it('given known events, when deduplicated, then the caller’s map is not changed', () => {
    const known = new Map<string, KnownEvent>();
    deduplicate([accept(registered('a'))], known, contentHashOf, 0);
    expect(known.size).toBe(0);
  });
});

describe('eventKey', () => {
  it('given a source and id, when keyed, then they are joined by NUL so different splits of the same text stay apart', () => {
    expect(eventKey('/a', 'b/c')).not.toBe(eventKey('/a/b', 'c'));
    expect(eventKey('/a', 'b')).toBe('/a\u0000b');
  });
});
