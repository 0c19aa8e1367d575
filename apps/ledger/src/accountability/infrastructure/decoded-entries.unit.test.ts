import type { RawEntry } from '@aal/accountability';
import { toBinaryMessage } from '@aal/contracts';
import { outputChainEvents, outputChainIds } from '@aal/testing';
import { DecodedEntries } from './decoded-entries';

const ids = outputChainIds('out-memo-0001');
const [registered, released] = outputChainEvents(ids);

function entryOf(seq: number, event = registered!): RawEntry {
  const message = toBinaryMessage(event);
  return { seq, recordedAt: '2026-11-02T10:00:00.000Z', headers: { ...message.headers }, value: Buffer.from(message.value) };
}

describe('DecodedEntries', () => {
  it('given an entry decoded once, when the same content is read again, then the same fact is given without decoding again', () => {
    const memo = new DecodedEntries(10);
    const first = memo.decode(entryOf(1));
    const again = memo.decode(entryOf(1));
    expect(first.ok).toBe(true);
    expect(again).toBe(first);
  });

  it('given an entry decoded once, when its value bytes have changed, then it is decoded afresh and refused if no longer valid', () => {
    const memo = new DecodedEntries(10);
    const entry = entryOf(1);
    expect(memo.decode(entry).ok).toBe(true);
    const text = Buffer.from(entry.value).toString('utf8').replace(ids.modelId, 'not-a-model-id');
    expect(memo.decode({ ...entry, value: Buffer.from(text) }).ok).toBe(false);
  });

  it('given an entry decoded once, when its headers or recorded time have changed, then it is decoded from what was read now', () => {
    const memo = new DecodedEntries(10);
    const entry = entryOf(1);
    const first = memo.decode(entry);
    const moved = memo.decode({ ...entry, recordedAt: '2026-11-03T10:00:00.000Z' });
    expect(moved).not.toBe(first);
    expect(moved.ok && moved.fact.recordedAt).toBe('2026-11-03T10:00:00.000Z');
    const otherType = memo.decode({ ...entry, headers: { ...entry.headers, ce_type: 'aal.model.version.released.v1' } });
    expect(otherType.ok).toBe(false);
  });

  it('given another entry at the same seq (another log), when decoded, then its own fact is given', () => {
    const memo = new DecodedEntries(10);
    memo.decode(entryOf(1, registered));
    const other = memo.decode(entryOf(1, released));
    expect(other.ok && other.fact.name).toBe('model.version.released');
  });

  it('given more entries than it keeps, when the oldest is read again, then it is decoded afresh while the recently used stay', () => {
    const memo = new DecodedEntries(2);
    const one = memo.decode(entryOf(1));
    const two = memo.decode(entryOf(2));
    memo.decode(entryOf(1));
    memo.decode(entryOf(3));
    expect(memo.decode(entryOf(1))).toBe(one);
    expect(memo.decode(entryOf(2))).not.toBe(two);
  });
});
