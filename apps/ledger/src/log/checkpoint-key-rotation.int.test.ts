import { ed25519Signer, parseVerifierKey, verifierKeyString, verifyCheckpoint, type NoteSigner } from '@aal/ledger-core';
import { testCheckpointSettings, tokenFor } from '@aal/testing';
import { runCli } from '@aal/verifier';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturedIo } from '../testing/captured-io';
import { registeredModel } from '../testing/events';
import { TestLedger } from '../testing/test-ledger';

/**
 * Rotating the checkpoint key (docs/operations.md, "Keys and their rotation"): while the next key
 * is configured every checkpoint carries both signatures, so a verifier that ran during the
 * overlap moves to the next key without losing its trust state (rollback and fork protection);
 * once the old key is retired, a verifier pinned to it refuses the log's new checkpoints.
 */
describe('checkpoint key rotation', () => {
  let ledger: TestLedger;
  let dir: string;
  let token: string;
  const current = testCheckpointSettings('rotation.test/aal-ledger', { minIntervalMs: 100, idleIntervalMs: 300 }).settings;
  const next: NoteSigner = ed25519Signer(current.signer.name, generateKeyPairSync('ed25519').privateKey);
  const keyOf = (signer: NoteSigner) => verifierKeyString(signer.name, signer.publicKey);

  const verify = async (signer: NoteSigner, state: string) => {
    const { io, stdout, stderr } = capturedIo(dir);
    const status = await runCli(['--url', ledger.baseUrl, '--key', keyOf(signer), '--token', token, '--state', state, '--no-progress'], io);
    return { status, stdout: stdout(), stderr: stderr() };
  };
  const state = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { treeSize: number; verifierKey: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aal-key-rotation-'));
    token = await tokenFor(
      { organisationId: 'regulator', personId: 'psn_auditor07', role: 'auditor' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    ledger = await TestLedger.start('checkpoint-key-rotation', { checkpoints: { ...current, nextSigner: next } });
  });

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs with both keys during the overlap, then with the next key alone, and a verifier of the overlap carries its state across', async () => {
    await ledger.publish([registeredModel('Rotation A'), registeredModel('Rotation B'), registeredModel('Rotation C')]);
    const overlap = await ledger.checkpoint((size) => size >= 3, 'a checkpoint of the overlap');
    for (const signer of [current.signer, next]) {
      expect(verifyCheckpoint(overlap.note, parseVerifierKey(keyOf(signer)), current.origin).size).toBe(overlap.treeSize);
    }
    const announced = await ledger.call('GET', '/log/public-key');
    expect(announced.body).toMatchObject({ verifierKey: keyOf(current.signer), nextVerifierKey: keyOf(next) });

    // Two verifiers run during the overlap, both still pinned to the current key.
    expect(await verify(current.signer, 'moves.json')).toMatchObject({ status: 0 });
    expect(await verify(current.signer, 'stays.json')).toMatchObject({ status: 0 });
    expect(state('moves.json')).toMatchObject({ treeSize: overlap.treeSize, verifierKey: keyOf(current.signer) });

    // The operator retires the old key: the next key becomes the only one.
    await ledger.restart(undefined, { checkpoints: { ...current, signer: next, nextSigner: undefined } });
    await ledger.publish([registeredModel('Rotation D'), registeredModel('Rotation E')]);
    const after = await ledger.checkpoint((size) => size >= overlap.treeSize + 2, 'a checkpoint after the rotation');
    expect(() => verifyCheckpoint(after.note, parseVerifierKey(keyOf(current.signer)), current.origin)).toThrow(
      /No signature on the note is by a trusted key/,
    );
    expect((await ledger.call('GET', '/log/public-key')).body).not.toHaveProperty('nextVerifierKey');

    // The verifier that moves to the next key keeps its history: it checks consistency from the overlap's checkpoint.
    const moved = await verify(next, 'moves.json');
    expect(moved).toMatchObject({ status: 0 });
    expect(moved.stderr).toContain(`tree size ${overlap.treeSize} → ${after.treeSize}`);
    expect(state('moves.json')).toMatchObject({ treeSize: after.treeSize, verifierKey: keyOf(next) });

    // The verifier still pinned to the retired key refuses the new checkpoints and keeps its state.
    const stayed = await verify(current.signer, 'stays.json');
    expect(stayed.status).toBe(1);
    expect(stayed.stderr).toMatch(/signature/i);
    expect(state('stays.json').treeSize).toBe(overlap.treeSize);
  });
});
