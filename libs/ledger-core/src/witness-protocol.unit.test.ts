import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { signCheckpoint } from './checkpoint';
import { leafHashOfText } from './hashing';
import { buildConsistencyProof, nodeKey, nodesForConsistencyProof, rootFromLeaves } from './merkle';
import { ed25519KeyId, ed25519Signer } from './signed-note';
import {
  decideAddCheckpoint,
  formatAddCheckpointRequest,
  parseAddCheckpointRequest,
  WITNESS_STATUS,
  type WitnessDecision,
  type WitnessedCheckpoint,
} from './witness-protocol';

const LOG = ed25519Signer('ledger.example/log', generateKeyPairSync('ed25519').privateKey);
const IMPOSTOR = ed25519Signer('ledger.example/log', generateKeyPairSync('ed25519').privateKey);
const LOGS = [{ origin: LOG.name, keys: [{ name: LOG.name, keyId: ed25519KeyId(LOG.name, LOG.publicKey), publicKey: LOG.publicKey }] }];

/** A log whose leaves are `${fork}:${i}` after a shared prefix of `prefix` leaves. */
function leaves(size: number, fork = 'a', prefix = size): Buffer[] {
  return Array.from({ length: size }, (_, i) => leafHashOfText(i < prefix ? `shared:${i}` : `${fork}:${i}`));
}
function consistencyProof(from: number, to: number, ls: Buffer[]): Buffer[] {
  if (from === 0 || from === to) return [];
  // Each proof node is a perfect subtree: its hash is the root of its leaves.
  const ids = nodesForConsistencyProof(from, to);
  const nodes = new Map(ids.map((id) => [nodeKey(id), rootFromLeaves(ls.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level))]));
  return buildConsistencyProof(from, to, nodes);
}
const note = (ls: Buffer[], signer = LOG) =>
  signCheckpoint({ origin: LOG.name, size: ls.length, rootHash: rootFromLeaves(ls), extensions: [] }, signer);
const heldOf = (ls: Buffer[]): WitnessedCheckpoint => ({ size: ls.length, rootHash: rootFromLeaves(ls) });
const decide = (held: WitnessedCheckpoint | undefined, body: string): WitnessDecision => decideAddCheckpoint(LOGS, () => held, body);

describe('add-checkpoint request body', () => {
  it('given the C2SP tlog-witness example body, when parsed, then the old size, four proof hashes and the note come out', () => {
    // c2sp.org/tlog-witness, "Example request body".
    const body =
      'old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n\n' +
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
    const request = parseAddCheckpointRequest(body);
    expect(request.oldSize).toBe(20852014);
    expect(request.proof.map((p) => p.toString('base64'))).toEqual([
      'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=',
      'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=',
      '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=',
      '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=',
    ]);
    expect(request.note.startsWith('example.com/behind-the-sofa\n20852163\n')).toBe(true);
    expect(formatAddCheckpointRequest(request.oldSize, request.proof, request.note)).toBe(body);
  });

  it.each([
    ['no blank line', 'old 0\n'],
    ['a leading zero', 'old 01\n\nx\n'],
    ['a signed size', 'old -1\n\nx\n'],
    ['a short hash', 'old 1\nAAAA\n\nx\n'],
    ['non-canonical base64', `old 1\n${'A'.repeat(43)}B\n\nx\n`],
    ['64 proof lines', `old 1\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(64)}\nx\n`],
  ])('given a body with %s, when decided, then it is malformed (400)', (_, body) => {
    const decision = decide(undefined, body);
    expect(decision.kind).toBe('malformed');
    expect(WITNESS_STATUS[decision.kind]).toBe(400);
  });
});

describe('the witness decision', () => {
  const ten = leaves(10);

  it('given nothing held, when a signed checkpoint comes with old 0, then it is cosigned and becomes the held state', () => {
    const decision = decide(undefined, formatAddCheckpointRequest(0, [], note(ten)));
    expect(decision).toEqual({ kind: 'cosign', origin: LOG.name, body: `${note(ten).split('\n\n')[0]}\n`, next: heldOf(ten) });
  });

  it('given size 10 held, when old 0 is sent, then 409 names the held size', () => {
    expect(decide(heldOf(ten), formatAddCheckpointRequest(0, [], note(leaves(12))))).toMatchObject({ kind: 'conflict', heldSize: 10 });
  });

  it('given size 10 held, when size 14 comes with the proof from 10, then it is cosigned', () => {
    const fourteen = leaves(14);
    expect(decide(heldOf(ten), formatAddCheckpointRequest(10, consistencyProof(10, 14, fourteen), note(fourteen)))).toMatchObject({
      kind: 'cosign',
      next: heldOf(fourteen),
    });
  });

  it('given size 10 held, when the same checkpoint comes again, then it is cosigned again (same size, same root)', () => {
    expect(decide(heldOf(ten), formatAddCheckpointRequest(10, [], note(ten))).kind).toBe('cosign');
  });

  it('given size 10 held, when a fork of size 10 comes, then 409: same size, other root', () => {
    expect(decide(heldOf(ten), formatAddCheckpointRequest(10, [], note(leaves(10, 'b', 5))))).toMatchObject({
      kind: 'conflict',
      heldSize: 10,
    });
  });

  it('given size 10 held, when a fork of size 14 comes with its own proof from 10, then 422', () => {
    const fork = leaves(14, 'b', 5);
    const decision = decide(heldOf(ten), formatAddCheckpointRequest(10, consistencyProof(10, 14, fork), note(fork)));
    expect(decision.kind).toBe('bad-proof');
    expect(WITNESS_STATUS[decision.kind]).toBe(422);
  });

  it('given a checkpoint not signed by the log key, when decided, then 403', () => {
    expect(WITNESS_STATUS[decide(undefined, formatAddCheckpointRequest(0, [], note(ten, IMPOSTOR))).kind]).toBe(403);
  });

  it('given a checkpoint of another origin, when decided, then 404', () => {
    const other = ed25519Signer('other.example/log', generateKeyPairSync('ed25519').privateKey);
    const foreign = signCheckpoint({ origin: other.name, size: 1, rootHash: Buffer.alloc(32), extensions: [] }, other);
    expect(decide(undefined, formatAddCheckpointRequest(0, [], foreign))).toEqual({ kind: 'unknown-log', origin: other.name });
  });

  it('given old larger than the checkpoint size, when decided, then 400', () => {
    expect(decide(heldOf(ten), formatAddCheckpointRequest(12, [], note(ten))).kind).toBe('malformed');
  });

  it('given nothing held, when old 0 comes with a non-empty proof, then 422', () => {
    expect(decide(undefined, formatAddCheckpointRequest(0, [Buffer.alloc(32)], note(ten))).kind).toBe('bad-proof');
  });
});

describe('witness invariants (properties)', () => {
  // Any sequence of submissions from two forks of one log that share a prefix, with honest or
  // forged proofs and claimed old sizes: a witness that stores each `next` never cosigns two roots
  // for one size, never a size below the one it holds.
  it('given any submissions from two forks, when a witness applies its decisions, then it never cosigns both sides nor goes back', () => {
    const submission = fc.record({
      fork: fc.constantFrom('a', 'b'),
      size: fc.integer({ min: 1, max: 24 }),
      oldFrom: fc.oneof(fc.constant('held' as const), fc.integer({ min: 0, max: 24 })),
      proofFrom: fc.oneof(fc.constant('old' as const), fc.integer({ min: 0, max: 24 })),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.array(submission, { minLength: 1, maxLength: 12 }), (prefix, submissions) => {
        const forks = { a: leaves(24, 'a', prefix), b: leaves(24, 'b', prefix) };
        let held: WitnessedCheckpoint | undefined;
        const cosignedRoots = new Map<number, string>();
        for (const s of submissions) {
          const ls = forks[s.fork].slice(0, s.size);
          const old = s.oldFrom === 'held' ? (held?.size ?? 0) : s.oldFrom;
          const proofFrom = s.proofFrom === 'old' ? old : s.proofFrom;
          const proof = proofFrom > 0 && proofFrom < s.size ? consistencyProof(proofFrom, s.size, forks[s.fork]) : [];
          if (old > s.size) continue;
          const decision = decide(held, formatAddCheckpointRequest(old, proof, note(ls)));
          if (decision.kind !== 'cosign') continue;
          if (held !== undefined) expect(decision.next.size).toBeGreaterThanOrEqual(held.size);
          const root = decision.next.rootHash.toString('hex');
          for (const [size, earlier] of cosignedRoots) {
            // Every cosigned tree must extend every earlier one: same size means same root, and
            // a larger tree must agree with the fork actually cosigned before.
            if (size === decision.next.size) expect(root).toBe(earlier);
          }
          cosignedRoots.set(decision.next.size, root);
          held = decision.next;
        }
        const sizes = [...cosignedRoots.keys()];
        const forkSeen = sizes
          .filter((n) => n > prefix)
          .map((n) => (rootFromLeaves(forks.a.slice(0, n)).toString('hex') === cosignedRoots.get(n) ? 'a' : 'b'));
        expect(new Set(forkSeen).size).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
