import {
  appendSignatureLines,
  cosignCheckpoint,
  ed25519Signer,
  parseNote,
  parseWitnessVerifierKey,
  witnessVerifierKeyString,
} from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { buildTestLog } from './testing/log-fixture';
import { applyWitnessPolicy } from './witness-policy';
import type { VerifiedCheckpoint } from './log-verifier';

const witness = (name: string) => ed25519Signer(name, generateKeyPairSync('ed25519').privateKey);
const A = witness('a.example/witness');
const B = witness('b.example/witness');
const keyOf = (s: ReturnType<typeof witness>) => parseWitnessVerifierKey(witnessVerifierKeyString(s.name, s.publicKey));
const log = buildTestLog(30, [10, 20, 30]);
const verified = (i: number, ...by: Array<ReturnType<typeof witness>>): VerifiedCheckpoint => {
  const c = log.checkpoints[i]!;
  const body = parseNote(c.note).body;
  return {
    treeSize: c.treeSize,
    rootHash: c.rootHash,
    note: appendSignatureLines(
      c.note,
      by.map((w) => cosignCheckpoint(body, w, 1700000000 + i)),
    ),
  };
};

describe('witness policy', () => {
  it('given cosignatures on older checkpoints only, when applied, then the newest checkpoint with k of them is the one trusted', () => {
    const outcome = applyWitnessPolicy([verified(0, A, B), verified(1, A), verified(2)], { witnesses: [keyOf(A), keyOf(B)], required: 1 });
    expect(outcome).toMatchObject({ ok: true, checkpoint: { treeSize: 20 } });
    const both = applyWitnessPolicy([verified(0, A, B), verified(1, A), verified(2)], { witnesses: [keyOf(A), keyOf(B)], required: 2 });
    expect(both).toMatchObject({ ok: true, checkpoint: { treeSize: 10 } });
  });

  it('given the same witness twice on a checkpoint, when k = 2 is required, then it counts once and the checkpoint is refused naming the other', () => {
    const twice = verified(2, A);
    const again = { ...twice, note: appendSignatureLines(twice.note, [cosignCheckpoint(parseNote(twice.note).body, A, 1800000000)]) };
    const outcome = applyWitnessPolicy([again], { witnesses: [keyOf(A), keyOf(B)], required: 2 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problem.kind).toBe('checkpoint-not-witnessed');
    expect(outcome.problem.detail).toContain('b.example/witness (missing)');
    expect(outcome.problem.detail).not.toContain('a.example/witness');
  });

  it('given no checkpoint at all, when applied, then it is refused naming every witness as missing', () => {
    const outcome = applyWitnessPolicy([], { witnesses: [keyOf(A)], required: 1 });
    expect(outcome).toMatchObject({ ok: false, problem: { kind: 'checkpoint-not-witnessed', evidence: { checkpoint: null } } });
  });
});
