import { recomputeCaseAnswers } from './case-answers';

// The full agreement and tamper cases run through the verifier's case-bundle tests and the
// investigator page's browser test, on real exports; these pin the edges of the composition.
describe('recomputeCaseAnswers', () => {
  it('agrees that an output with no proven output.generated has no chain, counting the entries it read', () => {
    const outcome = recomputeCaseAnswers({ accountability: [{ outputId: 'out-1', chain: null }], findings: [] }, []);
    expect(outcome).toEqual({ recomputed: 1, entries: 0, difference: null });
  });

  it('names the answer that has no outputId by its JSON Pointer', () => {
    const outcome = recomputeCaseAnswers({ accountability: [{ outputId: 'out-1', chain: null }, { chain: null }] }, []);
    expect(outcome.recomputed).toBe(1);
    expect(outcome.difference).toMatchObject({ pointer: '/accountability/1' });
  });

  it('reports a stated finding the entries do not give', () => {
    const outcome = recomputeCaseAnswers(
      { accountability: [{ outputId: 'out-1', chain: null }], findings: [{ outputId: 'out-1', code: 'X.Y', title: 't', evidence: [] }] },
      [],
    );
    expect(outcome.difference).toMatchObject({ outputId: 'out-1', pointer: '/findings/0', recomputed: null });
  });
});
