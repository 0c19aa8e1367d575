import { findEventDefinition, subjectOf, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { actors, makeEvent, outputChainEvents } from '@aal/testing';
import { decodeFact, decodeFactEntry, factKeys, type RawEntry } from './fact';
import { ids } from './testing/chain-fixture';

const recordedAt = '2026-11-02T10:00:00.000Z';

/** An event as the ledger records it: binary-mode headers and the value's bytes. */
function entryOf(event: CloudEvent<unknown>, seq = 3): RawEntry {
  const message = toBinaryMessage(event);
  return { seq, recordedAt, headers: message.headers, value: new TextEncoder().encode(message.value) };
}

const byName = (name: string) =>
  outputChainEvents(ids, Date.parse('2026-11-02T09:00:00Z')).find((e) => findEventDefinition(e.type)?.name === name)!;

describe('decodeFact', () => {
  it('given a recorded valid event, when decoded, then every field comes from its headers, value and recorded time', () => {
    const event = byName('output.generated');
    const fact = decodeFact(entryOf(event, 7));
    expect(fact).toEqual({
      seq: 7,
      name: 'output.generated',
      type: event.type,
      subject: event.subject,
      time: event.time,
      recordedAt,
      data: event.data,
    });
  });

  it('given a value changed so it no longer matches its subject, when decoded, then it is refused', () => {
    const entry = entryOf(byName('output.generated'));
    const changed = new TextDecoder().decode(entry.value).replace(ids.outputId, 'out-other-0009');
    const decoded = decodeFactEntry({ ...entry, value: new TextEncoder().encode(changed) });
    expect(decoded.ok).toBe(false);
    expect(decoded.ok ? [] : decoded.issues.map((i) => i.pointer)).toContain('/subject');
  });

  it('given a value that breaks the schema, bytes that are not UTF-8, or a missing header, when decoded, then each is refused', () => {
    const entry = entryOf(byName('output.acted-on'));
    const data = JSON.parse(new TextDecoder().decode(entry.value)) as Record<string, unknown>;
    expect(
      decodeFact({ ...entry, value: new TextEncoder().encode(JSON.stringify({ ...data, reviewDurationSeconds: 'long' })) }),
    ).toBeUndefined();
    expect(decodeFact({ ...entry, value: new Uint8Array([0xff, 0xfe]) })).toBeUndefined();
    const { ce_time: _time, ...headers } = entry.headers;
    expect(decodeFact({ ...entry, headers })).toBeUndefined();
    expect(decodeFact({ ...entry, headers: { ...entry.headers, ce_type: 'aal.something.else.v1' } })).toBeUndefined();
  });
});

describe('factKeys', () => {
  it('given a training record, when keyed, then it is found from itself and from its deployment', () => {
    const fact = decodeFact(entryOf(byName('training.recorded')))!;
    expect(factKeys(fact)).toEqual([fact.subject, subjectOf('deployment', ids.deploymentId)]);
  });

  it('given an incident about several outputs, when keyed, then it is found from itself and from each output', () => {
    const incident = makeEvent(
      'incident.reported',
      {
        incidentId: '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
        organisationId: 'st-swithins',
        outputIds: ['out-1xx', 'out-2xx'],
        severity: 'moderate',
        harmReference: 'LFPSE-117',
        actor: actors.clinicalSystem,
      },
      { time: '2026-11-02T09:30:00Z' },
    );
    const fact = decodeFact(entryOf(incident));
    expect(fact && factKeys(fact)).toEqual([incident.subject, 'output/out-1xx', 'output/out-2xx']);
  });

  it('given any other event, when keyed, then only its subject is a key', () => {
    const fact = decodeFact(entryOf(byName('usage-policy.issued')))!;
    expect(factKeys(fact)).toEqual([fact.subject]);
  });
});
