import { actors, makeEvent, outputChainEvents } from '@aal/testing';
import { answerBasis, basisSeqs, comparableAnswer, firstAnswerDifference, firstDifference } from './answer-basis';
import { FactIndex, factsForAnswer } from './answer-inputs';
import { asFact } from './testing/as-fact';
import { ids } from './testing/chain-fixture';

const recordedAt = '2026-11-02T10:00:00.000Z';

describe('answer basis', () => {
  it('given a checkpoint covering knownAt, when the basis is stated, then it names it and the seqs', () => {
    expect(answerBasis([0, 3], { seq: 7 }, { treeSize: 8, rootHash: 'ab' })).toEqual({
      checkpoint: { treeSize: 8, rootHash: 'ab' },
      seqs: [0, 3],
    });
  });

  it('given no checkpoint, or one that does not cover knownAt, when the basis is stated, then it says so instead of naming one', () => {
    for (const checkpoint of [null, { treeSize: 7, rootHash: 'ab' }]) {
      expect(answerBasis([0], { seq: 7 }, checkpoint)).toEqual({ checkpoint: null, note: expect.stringContaining('entry 7'), seqs: [0] });
    }
  });

  it('given facts after knownAt and repeated, when the basis seqs are taken, then they are cut, unique and ascending', () => {
    expect(basisSeqs([{ seq: 5 }, { seq: 1 }, { seq: 5 }, { seq: 9 }], { seq: 6 })).toEqual([1, 5]);
  });
});

describe('comparing answers', () => {
  it('given inclusion links and a basis, when made comparable, then they are dropped and keys sorted', () => {
    expect(JSON.stringify(comparableAnswer({ b: 1, a: { evidence: [2], inclusionProofs: ['x'] }, basis: { seqs: [1] } }))).toBe(
      '{"a":{"evidence":[2]},"b":1}',
    );
  });

  it('given two answers differing deep inside, when compared, then the first difference is named by JSON Pointer with both values', () => {
    const a = { built: { notices: [{ id: 'n~1' }, { id: 'n/2' }] }, x: 1 };
    const b = { built: { notices: [{ id: 'n~1' }, { id: 'other' }] }, x: 1 };
    expect(firstDifference(a, b)).toEqual({ pointer: '/built/notices/1/id', recomputed: 'n/2', stated: 'other' });
    expect(firstAnswerDifference(a, b)).toEqual({ pointer: '/built/notices/1/id', recomputed: 'n/2', stated: 'other' });
    expect(firstAnswerDifference({ 'a/b': [1] }, { 'a/b': [1, 2] })).toEqual({ pointer: '/a~1b/1', recomputed: undefined, stated: 2 });
  });

  it('given answers differing only in links, basis or undefined members, when compared, then they are equal; a member only one has is a difference', () => {
    expect(firstAnswerDifference({ a: 1, basis: 1, inclusionProofs: [], u: undefined }, { a: 1, basis: 2 })).toBeNull();
    expect(firstAnswerDifference({ a: 1 }, { a: 1, extra: true })).toEqual({ pointer: '/extra', recomputed: undefined, stated: true });
    expect(firstAnswerDifference({ a: [1] }, { a: { 0: 1 } })?.pointer).toBe('/a');
  });

  it('given a stated value several answers share, when compared member by member, then key order does not matter and a difference deep inside is named', () => {
    const shared = { model: { name: 'SepsisWatch', evidence: [0] }, notices: [] };
    const stated = { built: shared, x: 1 };
    expect(firstAnswerDifference({ built: { model: { name: 'SepsisWatch', evidence: [0] }, notices: [] }, x: 1 }, stated)).toBeNull();
    expect(firstAnswerDifference({ built: { notices: [], model: { evidence: [0], name: 'SepsisWatch' } }, x: 1 }, stated)).toBeNull();
    expect(firstAnswerDifference({ built: { model: { name: 'SafeWatch', evidence: [0] }, notices: [] }, x: 1 }, stated)).toEqual({
      pointer: '/built/model/name',
      recomputed: 'SafeWatch',
      stated: 'SepsisWatch',
    });
    expect(
      firstAnswerDifference(
        { built: { model: { name: 'SepsisWatch', evidence: [0] }, notices: [] }, x: 1 },
        { built: { ...shared, extra: null }, x: 1 },
      ),
    ).toEqual({
      pointer: '/built/extra',
      recomputed: undefined,
      stated: null,
    });
    expect(firstAnswerDifference({ a: [1, 2] }, { a: [1, 3] })).toEqual({ pointer: '/a/1', recomputed: 2, stated: 3 });
  });
});

describe('the facts an answer is computed from', () => {
  const chain = outputChainEvents(ids);
  const other = makeEvent(
    'output.generated',
    { ...(chain[7]!.data as Record<string, unknown>), outputId: 'out-other-0002', actor: actors.clinicalSystem },
    { time: chain[7]!.time },
  );
  const unrelated = makeEvent(
    'model.registered',
    { ...(chain[0]!.data as Record<string, unknown>), modelId: '1f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d21' },
    { time: chain[0]!.time },
  );
  const facts = [...chain, other, unrelated].map((e, seq) => asFact(e, seq, recordedAt));

  it('given the log, when selected as the ledger does, then the output, its deployment and its model are found, nothing else, up to knownAt', () => {
    const index = new FactIndex(facts);
    expect(factsForAnswer(ids.outputId, index)!.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(factsForAnswer(ids.outputId, index, 8)!.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(factsForAnswer(ids.outputId, index, 6)).toBeNull();
    expect(factsForAnswer('out-unknown-01', index)).toBeNull();
  });
});
