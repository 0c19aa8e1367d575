import fc from 'fast-check';
import { HASH_SIZE, leafHash, nodeHash, sha256 } from './hashing';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('RFC 9162 / RFC 6962 hashing', () => {
  it('given the empty leaf, when hashed, then it is SHA-256(0x00)', () => {
    expect(hex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });

  it('given the RFC 6962 test leaf 0x00, when hashed, then it matches the published leaf hash', () => {
    expect(hex(leafHash(Uint8Array.of(0x00)))).toBe('96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7');
  });

  it('given the empty input, when hashed with plain SHA-256, then it is the well-known empty digest', () => {
    expect(hex(sha256())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('given several parts, when hashed, then it equals hashing their concatenation', () => {
    expect(sha256(Buffer.from('ab'), Buffer.from('c'))).toEqual(sha256(Buffer.from('abc')));
  });

  it('given two children, when hashed as a node, then it is SHA-256(0x01 || left || right)', () => {
    const left = leafHash(Buffer.from('left'));
    const right = leafHash(Buffer.from('right'));
    expect(nodeHash(left, right)).toEqual(sha256(Uint8Array.of(0x01), left, right));
    expect(nodeHash(left, right)).toHaveLength(HASH_SIZE);
  });

  it('given two children, when swapped, then the node hash changes (order is committed)', () => {
    const left = leafHash(Buffer.from('left'));
    const right = leafHash(Buffer.from('right'));
    expect(nodeHash(right, left)).not.toEqual(nodeHash(left, right));
  });

  it('given any two byte strings, when hashed as a node, then it differs from the leaf hash of their concatenation (domain separation)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        expect(nodeHash(a, b)).not.toEqual(leafHash(Buffer.concat([a, b])));
      }),
    );
  });

  it('given any leaf, when hashed, then the digest is 32 bytes and differs from the plain SHA-256 of the leaf', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), (leaf) => {
        const hashed = leafHash(leaf);
        expect(hashed).toHaveLength(HASH_SIZE);
        expect(hashed).not.toEqual(sha256(leaf));
      }),
    );
  });
});
