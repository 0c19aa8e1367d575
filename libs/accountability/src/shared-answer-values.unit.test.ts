import fc from 'fast-check';
import { expandSharedAnswers, shareAnswerValues, sharedLocation, SHARED_REF } from './shared-answer-values';

// Answers shaped like a case export's: a long item every output shares, a short one, and parts of their own.
const model = { modelId: 'm-1', name: 'SepsisWatch', intendedPurpose: 'Early warning of sepsis.'.repeat(8), evidence: [0] };
const actor = { organisationId: 'st-swithins', personId: 'psn_nurse0000001' };
const answer = (i: number) => ({
  outputId: `out-${i}`,
  chain: {
    outputId: `out-${i}`,
    built: { model, safetyNoticesInForce: [] },
    actedOn: { actions: [{ action: i % 2 === 0 ? 'accepted' : 'overridden', by: actor, evidence: [10 + i] }] },
    knownAt: { seq: 99, recordedAt: '2026-11-02T09:29:41.000Z', source: 'latest' },
  },
});
const answers = [answer(0), answer(1), answer(2), { outputId: 'out-9', chain: null, problem: { code: 'OUTPUT.NOT_FOUND' } }];

describe('shared answer values (aal-case-export/v2)', () => {
  it('given answers that share a long value, when compacted, then it is written once and each place refers to it; short values stay in place', () => {
    const { accountability, shared } = shareAnswerValues(answers);
    expect(shared).toEqual([{ model, safetyNoticesInForce: [] }]);
    for (const a of accountability.slice(0, 3)) {
      const chain = a.chain as unknown as Record<string, unknown>;
      expect(chain['built']).toEqual({ [SHARED_REF]: 0 });
      expect(chain['knownAt']).toEqual(answer(0).chain.knownAt);
    }
    expect(accountability[3]).toEqual(answers[3]);
  });

  it('given compacted answers, when expanded, then they are the answers as written whole, each shared value one object', () => {
    const { accountability, shared } = shareAnswerValues(answers);
    const expanded = expandSharedAnswers(JSON.parse(JSON.stringify(accountability)), JSON.parse(JSON.stringify(shared)));
    if (!expanded.ok) throw new Error(expanded.reason);
    expect(expanded.accountability).toEqual(answers);
    const chains = (expanded.accountability as Array<{ chain: { built: unknown } }>).slice(0, 3).map((a) => a.chain.built);
    expect(chains[1]).toBe(chains[0]);
    expect(chains[2]).toBe(chains[0]);
    expect(expanded.refs.slice(0, 3)).toEqual([0, 1, 2].map(() => [{ pointer: '/built', index: 0 }]));
  });

  it('given a long value inside a shared one that also stands on its own elsewhere, when compacted, then it is shared there too', () => {
    const withModelAlone = [answer(0), answer(1), { outputId: 'out-7', chain: { outputId: 'out-7', replaced: { model } } }];
    const { accountability, shared } = shareAnswerValues(withModelAlone);
    expect(shared).toEqual([{ model, safetyNoticesInForce: [] }, model]);
    expect((accountability[2]!.chain as unknown as { replaced: unknown }).replaced).toEqual({ model: { [SHARED_REF]: 1 } });
  });

  it('given any answers, when compacted and expanded, then they are the answers again, and no value is written twice in shared', () => {
    const leaf = fc.oneof(fc.constantFrom('accepted', 'overridden', model.intendedPurpose), fc.integer(), fc.boolean(), fc.constant(null));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'built', 'x'), tie('value'), { maxKeys: 3 }),
      ),
    }));
    // Parts drawn from a small pool, so that answers repeat values as a case's do.
    const arbitraryAnswers = fc
      .array(value, { minLength: 1, maxLength: 5 })
      .chain((pool) => fc.array(fc.record({ a: fc.constantFrom(...pool), b: fc.constantFrom(...pool) }), { minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(arbitraryAnswers, (chains) => {
        const given = chains.map((chain, i) => ({ outputId: `out-${i}`, chain }));
        const { accountability, shared } = shareAnswerValues(given);
        const expanded = expandSharedAnswers(JSON.parse(JSON.stringify(accountability)), JSON.parse(JSON.stringify(shared)));
        if (!expanded.ok) throw new Error(expanded.reason);
        expect(expanded.accountability).toEqual(given);
        expect(new Set(shared.map((v) => JSON.stringify(v))).size).toBe(shared.length);
        // What stays in place repeats no long value: each one written twice would have been shared.
        const inPlace: string[] = [];
        const walk = (v: unknown, top: boolean): void => {
          if (typeof v !== 'object' || v === null) return;
          const text = JSON.stringify(v);
          if (!top && text.length >= 200) inPlace.push(text);
          for (const c of Object.values(v)) walk(c, false);
        };
        for (const a of accountability) walk(a.chain, true);
        expect(new Set(inPlace).size).toBe(inPlace.length);
      }),
    );
  });

  it('given answers that share nothing, when compacted, then they are written as they are', () => {
    const one = [answer(0)];
    expect(shareAnswerValues(one)).toEqual({ accountability: one, shared: [] });
  });

  it('given compacted answers, when expanded, then the given values are not modified', () => {
    const compact = JSON.parse(JSON.stringify(shareAnswerValues(answers))) as { accountability: unknown[]; shared: unknown[] };
    const before = JSON.stringify(compact);
    expandSharedAnswers(compact.accountability, compact.shared);
    expect(JSON.stringify(compact)).toBe(before);
  });

  it.each<[string, unknown, unknown, string, RegExp]>([
    [
      'a reference beyond the list',
      [{ outputId: 'o', chain: { built: { [SHARED_REF]: 3 } } }],
      [{}],
      '/accountability/0/chain/built',
      /shared value 3/,
    ],
    [
      'a reference that is not an index',
      [{ outputId: 'o', chain: { a: [{ [SHARED_REF]: '0' }] } }],
      [{}],
      '/accountability/0/chain/a/0',
      /shared value "0"/,
    ],
    [
      'a shared value no answer refers to',
      [{ outputId: 'o', chain: { built: { [SHARED_REF]: 0 } } }],
      [{}, {}],
      '/shared/1',
      /referred to by no answer/,
    ],
    ['a `shared` that is not a list', [], { 0: {} }, '/shared', /not an array/],
  ])('given %s, when expanded, then it is refused at its pointer', (_, accountability, shared, pointer, reason) => {
    const expanded = expandSharedAnswers(accountability, shared);
    expect(expanded).toMatchObject({ ok: false, pointer });
    if (!expanded.ok) expect(expanded.reason).toMatch(reason);
  });

  it('given a reference inside a shared value, when expanded, then it stays as written (shared values are not expanded again)', () => {
    const expanded = expandSharedAnswers([{ outputId: 'o', chain: { built: { [SHARED_REF]: 0 } } }], [{ inner: { [SHARED_REF]: 0 } }]);
    expect(expanded).toMatchObject({ ok: true, accountability: [{ outputId: 'o', chain: { built: { inner: { [SHARED_REF]: 0 } } } }] });
  });

  it('given a pointer into the expanded answers, when located, then it names the shared value it falls in, or itself', () => {
    const refs = [[{ pointer: '/built', index: 0 }], [{ pointer: '/approvedAndDeployed/request', index: 2 }]];
    expect(sharedLocation('/accountability/0/chain/built/model/name', refs)).toBe('/shared/0/model/name');
    expect(sharedLocation('/accountability/1/chain/approvedAndDeployed/request', refs)).toBe('/shared/2');
    expect(sharedLocation('/accountability/1/chain/approvedAndDeployed/requestedBy', refs)).toBe(
      '/accountability/1/chain/approvedAndDeployed/requestedBy',
    );
    expect(sharedLocation('/accountability/0/chain/builtAt', refs)).toBe('/accountability/0/chain/builtAt');
    expect(sharedLocation('/findings/3/detail', refs)).toBe('/findings/3/detail');
  });
});
