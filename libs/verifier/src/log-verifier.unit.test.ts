import { buildConsistencyProof, GENESIS_CHAIN_HASH, nodesForConsistencyProof, nodeKey, signCheckpoint } from '@aal/ledger-core';
import fc from 'fast-check';
import { checkConsistencyProof, consistencyPairs, LogVerifier, type VerificationOutcome, type VerifiedCheckpoint } from './log-verifier';
import {
  buildTestLog,
  entryContent,
  rehashFrom,
  rootOf,
  sealEntry,
  signedCheckpoint,
  testSigner,
  type TestLog,
} from './testing/log-fixture';
import type { WireCheckpoint, WireEntry } from './wire-format';

// ---- given -------------------------------------------------------------------------------------

const SIZE = 40;
const CHECKPOINTS = [10, 20, 30, 40];
let log: TestLog;
beforeAll(() => {
  log = buildTestLog(SIZE, CHECKPOINTS);
});

interface Run {
  entries?: readonly unknown[];
  checkpoints?: readonly unknown[];
  trusted?: VerifiedCheckpoint | null;
  pageSize?: number;
}

/** Feeds the entries in pages, as a source would, and stops at the first problem. */
function verify({ entries = log.entries, checkpoints = log.checkpoints, trusted = null, pageSize = 7 }: Run = {}): VerificationOutcome {
  const engine = new LogVerifier({ key: log.key, origin: log.origin, checkpoints, trusted });
  for (let i = 0; i < entries.length && !engine.done; i += pageSize) engine.push(entries.slice(i, i + pageSize));
  return engine.finish();
}

function problemOf(outcome: VerificationOutcome) {
  if (outcome.ok) throw new Error('expected a problem, but the log verified');
  return outcome.problem;
}

const withValueByteFlipped = (entry: WireEntry, index: number): WireEntry => {
  const value = Buffer.from(entry.value, 'base64');
  value[index] = value[index]! ^ 0x01;
  return { ...entry, value: value.toString('base64') };
};
/** Moves content to another seq, keeping the hashes stored with it (a renumbering that forgot the hashes). */
const renumbered = (entry: WireEntry, seq: number): WireEntry => ({ ...entry, seq });
const asTrusted = (c: WireCheckpoint): VerifiedCheckpoint => ({ treeSize: c.treeSize, rootHash: c.rootHash, note: c.note });
const checkpointAt = (size: number) => log.checkpoints.find((c) => c.treeSize === size)!;

// ---- honest logs -------------------------------------------------------------------------------

describe('LogVerifier on an honest log', () => {
  it.each([1, 7, 10, 1000])('given a valid log, when verified in pages of %p, then every entry and checkpoint verifies', (pageSize) => {
    const outcome = verify({ pageSize });
    expect(outcome).toEqual({
      ok: true,
      entries: SIZE,
      checkpoints: log.checkpoints.map((c) => ({ id: c.id, treeSize: c.treeSize, rootHash: c.rootHash, note: c.note })),
      latest: expect.objectContaining({ treeSize: 40, rootHash: checkpointAt(40).rootHash }),
      uncoveredEntries: 0,
    });
  });

  it('given entries after the latest checkpoint, when verified, then they count as chained but uncovered', () => {
    const longer = buildTestLog(45, [10, 40]);
    const engine = new LogVerifier({ key: longer.key, origin: longer.origin, checkpoints: longer.checkpoints });
    engine.push(longer.entries);
    expect(engine.finish()).toMatchObject({ ok: true, entries: 45, uncoveredEntries: 5, latest: { treeSize: 40 } });
  });

  it('given checkpoints listed out of order and one repeated, when verified, then they are checked by size', () => {
    const shuffled = [checkpointAt(30), checkpointAt(10), checkpointAt(40), checkpointAt(20), checkpointAt(20)];
    expect(verify({ checkpoints: shuffled })).toMatchObject({
      ok: true,
      checkpoints: [{ treeSize: 10 }, { treeSize: 20 }, { treeSize: 20 }, { treeSize: 30 }, { treeSize: 40 }],
    });
  });

  it('given an empty log with no checkpoint, when verified, then nothing is wrong and nothing is covered', () => {
    expect(verify({ entries: [], checkpoints: [] })).toEqual({ ok: true, entries: 0, checkpoints: [], latest: null, uncoveredEntries: 0 });
  });

  it('given a checkpoint of the empty tree, when verified, then it matches the empty root', () => {
    const empty = signedCheckpoint(99, log.origin, 0, rootOf([], 0), log.signer);
    expect(verify({ checkpoints: [empty, ...log.checkpoints] })).toMatchObject({
      ok: true,
      checkpoints: [{ treeSize: 0 }, {}, {}, {}, {}],
    });
  });
});

// ---- tampered entries --------------------------------------------------------------------------

describe('LogVerifier on tampered entries', () => {
  it('given one byte of a value changed, when verified, then entry-tampered names that seq with both leaf hashes', () => {
    const entries = log.entries.map((e) => (e.seq === 17 ? withValueByteFlipped(e, 5) : e));
    const problem = problemOf(verify({ entries }));
    expect(problem).toMatchObject({
      kind: 'entry-tampered',
      seq: 17,
      evidence: { storedLeafHash: log.entries[17]!.leafHash, entry: entries[17] },
    });
    expect(problem.kind === 'entry-tampered' && problem.evidence.computedLeafHash).not.toBe(log.entries[17]!.leafHash);
  });

  it('given a changed header, when verified, then entry-tampered names that seq', () => {
    const entries = log.entries.map((e) => (e.seq === 3 ? { ...e, headers: { ...e.headers, ce_type: 'aal.output.acted-on.v1' } } : e));
    expect(problemOf(verify({ entries }))).toMatchObject({ kind: 'entry-tampered', seq: 3 });
  });

  it('given a changed value whose leaf hash was recomputed but not the chain, when verified, then chain-broken names that seq', () => {
    const forged = withValueByteFlipped(log.entries[12]!, 0);
    const leafOnly = { ...forged, leafHash: sealEntry(forged, Buffer.alloc(32)).entry.leafHash };
    const entries = log.entries.map((e) => (e.seq === 12 ? leafOnly : e));
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'chain-broken',
      seq: 12,
      evidence: { storedChainHash: log.entries[12]!.chainHash, previousChainHash: log.entries[11]!.chainHash, leafHash: leafOnly.leafHash },
    });
  });

  it('given a changed value with every hash after it recomputed, when verified, then the next checkpoint root mismatches and names the range', () => {
    const entries = rehashFrom(
      log.entries.map((e) => (e.seq === 23 ? withValueByteFlipped(e, 9) : e)),
      23,
    );
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'checkpoint-root-mismatch',
      checkpointSize: 30,
      evidence: { divergesAtOrAfter: 20, signedRootHash: checkpointAt(30).rootHash, computedRootHash: rootOf(entries, 30).toString('hex') },
    });
  });

  it('given a malformed entry, when verified, then entry-malformed names its position and the reason', () => {
    const entries = log.entries.map((e, i) => (i === 8 ? { ...e, value: 'not base64!' } : e));
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'entry-malformed',
      seq: 8,
      evidence: { reason: '`value` is not canonical base64' },
    });
  });

  it('given a value in non-canonical base64 (same bytes, other spelling), when verified, then it is refused as malformed', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const padded = log.entries.find((e) => e.value.endsWith('='))!;
    const last = padded.value.length - (padded.value.endsWith('==') ? 3 : 2);
    const index = alphabet.indexOf(padded.value[last]!);
    const respelled = padded.value.slice(0, last) + alphabet[index ^ 1] + padded.value.slice(last + 1);
    expect(Buffer.from(respelled, 'base64')).toEqual(Buffer.from(padded.value, 'base64'));
    const entries = log.entries.map((e) => (e === padded ? { ...e, value: respelled } : e));
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'entry-malformed',
      seq: padded.seq,
      evidence: { reason: '`value` is not canonical base64' },
    });
  });
});

// ---- missing, moved and inserted entries -------------------------------------------------------

describe('LogVerifier on missing, moved and inserted entries', () => {
  it('given a middle entry deleted, when verified, then a gap names the missing seq', () => {
    const entries = log.entries.filter((e) => e.seq !== 17);
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'gap',
      seq: 17,
      evidence: { expectedSeq: 17, foundSeq: 18, missing: 1, renumbered: false },
    });
  });

  it('given three entries deleted, when verified, then the gap names the first and counts them', () => {
    const entries = log.entries.filter((e) => e.seq < 5 || e.seq > 7);
    expect(problemOf(verify({ entries }))).toMatchObject({ kind: 'gap', seq: 5, evidence: { missing: 3 } });
  });

  it('given a middle entry deleted and the later ones renumbered, when verified, then a gap names the missing seq', () => {
    const entries = log.entries.filter((e) => e.seq !== 17).map((e, i) => renumbered(e, i));
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'gap',
      seq: 17,
      evidence: { foundSeq: 18, missing: 1, renumbered: true },
    });
  });

  it('given two entries swapped, when verified, then reordered names the first displaced seq', () => {
    const entries = [...log.entries];
    [entries[17], entries[18]] = [entries[18]!, entries[17]!];
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'reordered',
      seq: 17,
      evidence: { expectedSeq: 17, foundSeq: 18, foundLaterAt: 18, renumbered: false },
    });
  });

  it('given two entries swapped across a page boundary, when verified, then reordered still names the first', () => {
    const entries = [...log.entries];
    [entries[20], entries[21]] = [entries[21]!, entries[20]!];
    expect(problemOf(verify({ entries, pageSize: 21 }))).toMatchObject({ kind: 'reordered', seq: 20 });
  });

  it('given two entries swapped and renumbered in place, when verified, then reordered names the first', () => {
    const entries = [...log.entries];
    [entries[17], entries[18]] = [renumbered(log.entries[18]!, 17), renumbered(log.entries[17]!, 18)];
    expect(problemOf(verify({ entries }))).toMatchObject({ kind: 'reordered', seq: 17, evidence: { foundSeq: 18, renumbered: true } });
  });

  it('given two entries swapped, renumbered and every hash recomputed, when verified, then the covering checkpoint root mismatches', () => {
    const swapped = [...log.entries];
    [swapped[17], swapped[18]] = [renumbered(log.entries[18]!, 17), renumbered(log.entries[17]!, 18)];
    expect(problemOf(verify({ entries: rehashFrom(swapped, 17) }))).toMatchObject({
      kind: 'checkpoint-root-mismatch',
      checkpointSize: 20,
      evidence: { divergesAtOrAfter: 10 },
    });
  });

  it('given a forged entry inserted with its own hashes and the later entries renumbered, when verified, then inserted names its seq', () => {
    const forged = sealEntry({ seq: 17, ...entryContent(17, '-forged') }, Buffer.from(log.entries[16]!.chainHash, 'hex')).entry;
    const entries = [...log.entries.slice(0, 17), forged, ...log.entries.slice(17).map((e) => renumbered(e, e.seq + 1))];
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'inserted',
      seq: 17,
      evidence: { position: 18, claimedSeq: 17, count: 1 },
    });
  });

  it('given a forged entry inserted under an existing seq, when verified, then inserted names that seq', () => {
    const forged = sealEntry({ seq: 17, ...entryContent(17, '-forged') }, Buffer.from(log.entries[16]!.chainHash, 'hex')).entry;
    const before = [...log.entries.slice(0, 17), forged, ...log.entries.slice(17)];
    const after = [...log.entries.slice(0, 18), forged, ...log.entries.slice(18)];
    expect(problemOf(verify({ entries: before }))).toMatchObject({ kind: 'inserted', seq: 17, evidence: { position: 18 } });
    expect(problemOf(verify({ entries: after }))).toMatchObject({ kind: 'inserted', seq: 17, evidence: { position: 18 } });
  });

  it('given a forged entry inserted and every hash after it recomputed, when verified, then the covering checkpoint root mismatches', () => {
    const forged = { seq: 17, ...entryContent(17, '-forged'), leafHash: '', chainHash: '' };
    const entries = rehashFrom([...log.entries.slice(0, 17), forged, ...log.entries.slice(17).map((e) => renumbered(e, e.seq + 1))], 17);
    expect(problemOf(verify({ entries }))).toMatchObject({
      kind: 'checkpoint-root-mismatch',
      checkpointSize: 20,
      evidence: { divergesAtOrAfter: 10 },
    });
  });

  it('given an entry served twice, when verified, then duplicate names it', () => {
    const entries = [...log.entries.slice(0, 18), log.entries[17]!, ...log.entries.slice(18)];
    expect(problemOf(verify({ entries }))).toMatchObject({ kind: 'duplicate', seq: 17, evidence: { position: 18, originalSeq: 17 } });
  });

  it('given an entry replaced by a renumbered copy of an earlier one, when verified, then duplicate names the replaced seq', () => {
    const entries = log.entries.map((e) => (e.seq === 19 ? renumbered(log.entries[15]!, 19) : e));
    expect(problemOf(verify({ entries }))).toMatchObject({ kind: 'duplicate', seq: 19, evidence: { originalSeq: 15 } });
  });

  it('given the tail cut off below the latest checkpoint, when verified, then truncated names the first missing seq and the checkpoint', () => {
    expect(problemOf(verify({ entries: log.entries.slice(0, 35) }))).toMatchObject({
      kind: 'truncated',
      seq: 35,
      checkpointSize: 40,
      evidence: { entriesServed: 35 },
    });
  });
});

// ---- truncate and re-append ---------------------------------------------------------------------

describe('LogVerifier on a log truncated and re-appended', () => {
  /** Entries 0..24 kept, 25..39 replaced by other events, with consistent hashes. */
  const rewrittenTail = () =>
    rehashFrom(
      [
        ...log.entries.slice(0, 25),
        ...Array.from({ length: 15 }, (_, i) => ({ seq: 25 + i, ...entryContent(25 + i, '-rewritten'), leafHash: '', chainHash: '' })),
      ],
      25,
    );

  it('given a checkpoint re-signed by an attacker key, when verified, then checkpoint-bad-signature names it', () => {
    const entries = rewrittenTail();
    const attacker = testSigner(log.origin);
    const resigned = signedCheckpoint(5, log.origin, 40, rootOf(entries, 40), attacker.signer);
    const problem = problemOf(verify({ entries, checkpoints: [checkpointAt(10), checkpointAt(20), resigned] }));
    expect(problem).toMatchObject({
      kind: 'checkpoint-bad-signature',
      checkpointSize: 40,
      evidence: { code: 'NOTE.NO_TRUSTED_SIGNATURE', checkpoint: { treeSize: 40, note: resigned.note } },
    });
  });

  it('given no new checkpoint, when verified, then the old checkpoint root mismatches after the last good one', () => {
    expect(problemOf(verify({ entries: rewrittenTail() }))).toMatchObject({
      kind: 'checkpoint-root-mismatch',
      checkpointSize: 30,
      evidence: { divergesAtOrAfter: 20 },
    });
  });
});

// ---- checkpoints -------------------------------------------------------------------------------

describe('LogVerifier on bad checkpoints', () => {
  const replacing = (size: number, checkpoint: WireCheckpoint) => log.checkpoints.map((c) => (c.treeSize === size ? checkpoint : c));

  it('given a checkpoint whose signature bytes were forged, when verified, then checkpoint-bad-signature names it', () => {
    const original = checkpointAt(20);
    const [body, signatureLine] = original.note.split('\n\n') as [string, string];
    const [prefix, name, encoded] = signatureLine.trimEnd().split(' ') as [string, string, string];
    const bytes = Buffer.from(encoded, 'base64');
    bytes[10] = bytes[10]! ^ 0xff;
    const forged = { ...original, note: `${body}\n\n${prefix} ${name} ${bytes.toString('base64')}\n` };
    expect(problemOf(verify({ checkpoints: replacing(20, forged) }))).toMatchObject({
      kind: 'checkpoint-bad-signature',
      checkpointSize: 20,
      evidence: { code: 'NOTE.BAD_SIGNATURE' },
    });
  });

  it('given a checkpoint whose root line was edited under the original signature, when verified, then checkpoint-bad-signature names it', () => {
    const original = checkpointAt(20);
    const otherRoot = Buffer.alloc(32, 7);
    const edited = {
      ...original,
      rootHash: otherRoot.toString('hex'),
      note: original.note.replace(Buffer.from(original.rootHash, 'hex').toString('base64'), otherRoot.toString('base64')),
    };
    expect(problemOf(verify({ checkpoints: replacing(20, edited) }))).toMatchObject({
      kind: 'checkpoint-bad-signature',
      checkpointSize: 20,
    });
  });

  it('given a validly signed checkpoint whose root disagrees with the entries, when verified, then checkpoint-root-mismatch names it', () => {
    const wrong = signedCheckpoint(2, log.origin, 20, Buffer.alloc(32, 1), log.signer);
    expect(problemOf(verify({ checkpoints: replacing(20, wrong) }))).toMatchObject({
      kind: 'checkpoint-root-mismatch',
      checkpointSize: 20,
      evidence: { signedRootHash: '01'.repeat(32), computedRootHash: checkpointAt(20).rootHash, divergesAtOrAfter: 10 },
    });
  });

  it('given a checkpoint signed for another origin, when verified, then checkpoint-origin-mismatch names it', () => {
    const other = signedCheckpoint(2, 'other.example/log', 20, Buffer.from(checkpointAt(20).rootHash, 'hex'), log.signer);
    expect(problemOf(verify({ checkpoints: replacing(20, other) }))).toMatchObject({
      kind: 'checkpoint-origin-mismatch',
      checkpointSize: 20,
      evidence: { expectedOrigin: log.origin },
    });
  });

  it('given a checkpoint listed with a size its note does not say, when verified, then checkpoint-malformed names it', () => {
    expect(problemOf(verify({ checkpoints: replacing(20, { ...checkpointAt(30), treeSize: 20 }) }))).toMatchObject({
      kind: 'checkpoint-malformed',
      checkpointSize: 20,
    });
  });

  it('given a listed checkpoint that is not an object of the documented shape, when verified, then checkpoint-malformed says why', () => {
    expect(problemOf(verify({ checkpoints: [...log.checkpoints, { id: 9, treeSize: -1 }] }))).toMatchObject({
      kind: 'checkpoint-malformed',
      evidence: { reason: '`treeSize` is not a non-negative integer' },
    });
  });

  it('given a bad checkpoint after a tampered entry, when verified, then the earlier problem (by position) is reported', () => {
    const entries = log.entries.map((e) => (e.seq === 5 ? withValueByteFlipped(e, 1) : e));
    const wrong = signedCheckpoint(2, log.origin, 20, Buffer.alloc(32, 1), log.signer);
    expect(problemOf(verify({ entries, checkpoints: replacing(20, wrong) }))).toMatchObject({ kind: 'entry-tampered', seq: 5 });
  });
});

// ---- trusted checkpoint: rollback and fork -----------------------------------------------------

describe('LogVerifier with a trusted checkpoint from an earlier run', () => {
  it('given the log grew since the trusted checkpoint, when verified, then it verifies', () => {
    expect(verify({ trusted: asTrusted(checkpointAt(20)) })).toMatchObject({ ok: true, entries: 40 });
  });

  it('given the latest checkpoint is smaller than the trusted one, when verified, then rollback is reported before any entry is read', () => {
    const engine = new LogVerifier({
      key: log.key,
      origin: log.origin,
      checkpoints: log.checkpoints.slice(0, 3),
      trusted: asTrusted(checkpointAt(40)),
    });
    expect(engine.done).toBe(true);
    expect(problemOf(engine.finish())).toMatchObject({
      kind: 'rollback',
      checkpointSize: 40,
      evidence: { trusted: { treeSize: 40 }, latest: { treeSize: 30 } },
    });
  });

  it('given the log lists no checkpoint at all, when verified with a trusted one, then rollback is reported', () => {
    expect(problemOf(verify({ checkpoints: [], trusted: asTrusted(checkpointAt(20)) }))).toMatchObject({
      kind: 'rollback',
      evidence: { latest: null },
    });
  });

  it('given entries cut below the trusted size while the checkpoints remain, when verified, then truncated names the first missing seq', () => {
    expect(problemOf(verify({ entries: log.entries.slice(0, 25), trusted: asTrusted(checkpointAt(30)) }))).toMatchObject({
      kind: 'truncated',
      seq: 25,
      checkpointSize: 30,
    });
  });

  it('given history rewritten and re-signed with the log key, when verified, then fork names the trusted size', () => {
    const entries = rehashFrom(
      log.entries.map((e) => (e.seq === 12 ? withValueByteFlipped(e, 3) : e)),
      12,
    );
    const resigned = CHECKPOINTS.map((size, i) => signedCheckpoint(i + 1, log.origin, size, rootOf(entries, size), log.signer));
    expect(verify({ entries, checkpoints: resigned })).toMatchObject({ ok: true });
    const problem = problemOf(verify({ entries, checkpoints: resigned, trusted: asTrusted(checkpointAt(30)) }));
    expect(problem).toMatchObject({
      kind: 'fork',
      checkpointSize: 30,
      evidence: {
        trusted: { treeSize: 30, rootHash: checkpointAt(30).rootHash },
        computedRootHash: resigned[2]!.rootHash,
        conflicting: { treeSize: 30, note: resigned[2]!.note },
      },
    });
  });

  it('given a latest checkpoint of the trusted size with another root, when verified, then fork is reported up front with both notes', () => {
    const conflicting = signedCheckpoint(9, log.origin, 40, Buffer.alloc(32, 2), log.signer);
    const engine = new LogVerifier({
      key: log.key,
      origin: log.origin,
      checkpoints: [...log.checkpoints.slice(0, 3), conflicting],
      trusted: asTrusted(checkpointAt(40)),
    });
    expect(problemOf(engine.finish())).toMatchObject({
      kind: 'fork',
      checkpointSize: 40,
      evidence: { conflicting: { note: conflicting.note } },
    });
  });
});

// ---- consistency proofs ------------------------------------------------------------------------

describe('checkConsistencyProof', () => {
  const proof = (from: number, to: number) => buildConsistencyProof(from, to, log.nodes).map((b) => b.toString('hex'));
  const verified = (size: number) => asTrusted(checkpointAt(size));

  it('given the server proof between two verified checkpoints, when checked, then it verifies', () => {
    expect(nodesForConsistencyProof(10, 30).every((id) => log.nodes.has(nodeKey(id)))).toBe(true);
    expect(checkConsistencyProof(verified(10), verified(30), proof(10, 30))).toBeNull();
  });

  it('given a proof with one hash changed, when checked, then consistency-proof-invalid carries both checkpoints and the proof', () => {
    const bad = proof(10, 30);
    bad[0] = 'ab'.repeat(32);
    expect(checkConsistencyProof(verified(10), verified(30), bad)).toMatchObject({
      kind: 'consistency-proof-invalid',
      checkpointSize: 30,
      evidence: { code: 'PROOF.CONSISTENCY_MISMATCH', from: { treeSize: 10 }, to: { treeSize: 30 }, proof: bad },
    });
  });

  it('given something that is not a list of hashes, when checked, then it is reported as a bad shape', () => {
    expect(checkConsistencyProof(verified(10), verified(30), { proof: 'nope' })).toMatchObject({
      kind: 'consistency-proof-invalid',
      evidence: { code: 'PROOF.BAD_SHAPE' },
    });
  });
});

describe('consistencyPairs', () => {
  const c = (treeSize: number): VerifiedCheckpoint => ({ treeSize, rootHash: '', note: '' });
  const sizes = (pairs: Array<[VerifiedCheckpoint, VerifiedCheckpoint]>) => pairs.map(([a, b]) => [a.treeSize, b.treeSize]);
  it('given verified checkpoints with repeats and an empty tree, when paired, then each distinct non-zero size follows the previous', () => {
    expect(sizes(consistencyPairs(null, [c(0), c(10), c(10), c(20), c(40)]))).toEqual([
      [10, 20],
      [20, 40],
    ]);
  });
  it('given a trusted size the log no longer lists, when paired, then it is linked between its neighbours', () => {
    expect(sizes(consistencyPairs(c(15), [c(10), c(20)]))).toEqual([
      [10, 15],
      [15, 20],
    ]);
  });
});

// ---- property ----------------------------------------------------------------------------------

describe('LogVerifier on random logs', () => {
  const content = fc.record({
    recordedAt: fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    topic: fc.constantFrom('aal.model-registry.events.v1', 'aal.deployment-approval.events.v1', 'aal.usage-events.events.v1'),
    partition: fc.nat({ max: 11 }),
    offset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
    headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 5 }),
    value: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  });
  /** Stores contents as an honest ledger would: gapless seqs from 0, every hash computed from the raw entry. */
  const honest = (contents: ReadonlyArray<Omit<WireEntry, 'seq' | 'leafHash' | 'chainHash'>>): WireEntry[] => {
    let chain = GENESIS_CHAIN_HASH;
    return contents.map((c, seq) => {
      const sealed = sealEntry({ seq, ...c }, chain);
      chain = sealed.chain;
      return sealed.entry;
    });
  };

  it('given random entries and one flipped bit in one entry’s value, when verified, then exactly that entry is reported', () => {
    const scenario = fc.array(content, { minLength: 1, maxLength: 12 }).chain((contents) =>
      fc.record({
        contents: fc.constant(contents),
        target: fc.nat({ max: contents.length - 1 }),
        byteFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        bit: fc.nat({ max: 7 }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ contents, target, byteFraction, bit }) => {
        const entries = honest(contents);
        expect(verify({ entries, checkpoints: [] })).toMatchObject({ ok: true, entries: entries.length });
        const forged = entries.map((e) => {
          if (e.seq !== target) return e;
          const value = Buffer.from(e.value, 'base64');
          const index = Math.floor(byteFraction * value.length);
          value[index] = value[index]! ^ (1 << bit);
          return { ...e, value: value.toString('base64') };
        });
        expect(problemOf(verify({ entries: forged, checkpoints: [] }))).toMatchObject({ kind: 'entry-tampered', seq: target });
      }),
    );
  });
});

// The fixture must sign exactly as ledger-core does, or the hand-edited notes above prove nothing.
it('the fixture signs checkpoints in the C2SP format', () => {
  expect(checkpointAt(10).note).toBe(
    signCheckpoint({ origin: log.origin, size: 10, rootHash: Buffer.from(checkpointAt(10).rootHash, 'hex'), extensions: [] }, log.signer),
  );
});
