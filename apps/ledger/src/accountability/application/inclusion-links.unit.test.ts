import { inclusionProofPath, withInclusionProofs } from './inclusion-links';

describe('withInclusionProofs', () => {
  it('given evidence at any depth, when linked, then each list gets its inclusion-proof paths beside it, in order', () => {
    const answer = {
      output: { evidence: [7] },
      findings: [{ code: 'X', evidence: [2, 9] }],
      knownAt: { seq: 12 },
      note: 'kept',
      empty: null,
    };
    expect(withInclusionProofs(answer, 13)).toEqual({
      output: { evidence: [7], inclusionProofs: ['/entries/7/inclusion-proof?treeSize=13'] },
      findings: [
        {
          code: 'X',
          evidence: [2, 9],
          inclusionProofs: ['/entries/2/inclusion-proof?treeSize=13', '/entries/9/inclusion-proof?treeSize=13'],
        },
      ],
      knownAt: { seq: 12 },
      note: 'kept',
      empty: null,
    });
  });

  it('given an item, when linked, then inclusionProofs follows evidence in the serialised key order', () => {
    expect(Object.keys(withInclusionProofs({ evidence: [1], happenedAt: 'x' }, 2))).toEqual(['evidence', 'inclusionProofs', 'happenedAt']);
    expect(inclusionProofPath(0, 1)).toBe('/entries/0/inclusion-proof?treeSize=1');
  });
});
