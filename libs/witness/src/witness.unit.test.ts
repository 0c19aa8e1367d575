import {
  buildConsistencyProof,
  ed25519KeyId,
  ed25519Signer,
  formatAddCheckpointRequest,
  leafHashOfText,
  nodeKey,
  nodesForConsistencyProof,
  rootFromLeaves,
  signCheckpoint,
} from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWitnessState } from './state-file';
import { Witness } from './witness';

const LOG = ed25519Signer('ledger.example/log', generateKeyPairSync('ed25519').privateKey);
const WITNESS = ed25519Signer('regulator.example/witness', generateKeyPairSync('ed25519').privateKey);
const LOGS = [{ origin: LOG.name, keys: [{ name: LOG.name, keyId: ed25519KeyId(LOG.name, LOG.publicKey), publicKey: LOG.publicKey }] }];
const request = (size: number, fill: number, old = 0) =>
  formatAddCheckpointRequest(old, [], signCheckpoint({ origin: LOG.name, size, rootHash: Buffer.alloc(32, fill), extensions: [] }, LOG));

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'aal-witness-unit-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Witness', () => {
  it('given ten concurrent first submissions of ten different trees of one size, when decided, then exactly one is cosigned and the others get 409', async () => {
    const witness = new Witness(WITNESS, LOGS, new Map(), join(dir, 'state.json'), () => 1700000000);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => witness.addCheckpoint(request(10, i + 1))));
    expect(answers.filter((a) => a.decision.kind === 'cosign')).toHaveLength(1);
    expect(answers.filter((a) => a.decision.kind === 'conflict')).toHaveLength(9);
    expect(answers.find((a) => a.decision.kind === 'cosign')!.cosignature).toMatch(/^— regulator\.example\/witness [A-Za-z0-9+/=]+\n$/);
  });

  it('given twenty growing checkpoints submitted at once, when each is cosigned, then the file on disk holds the last one (writes are serialised, never reordered)', async () => {
    // Guards the queue: unserialised, the writes share one temporary file and can land out of
    // order, leaving an older size on disk, which a restarted witness would take as its state.
    const leaves = Array.from({ length: 21 }, (_, i) => leafHashOfText(`entry ${i}`));
    const proof = (from: number, to: number) =>
      buildConsistencyProof(
        from,
        to,
        new Map(
          nodesForConsistencyProof(from, to).map((id) => [
            nodeKey(id),
            rootFromLeaves(leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level)),
          ]),
        ),
      );
    const grow = (size: number) =>
      formatAddCheckpointRequest(
        size === 1 ? 0 : size - 1,
        size === 1 ? [] : proof(size - 1, size),
        signCheckpoint({ origin: LOG.name, size, rootHash: rootFromLeaves(leaves.slice(0, size)), extensions: [] }, LOG),
      );
    const path = join(dir, 'state.json');
    const witness = new Witness(WITNESS, LOGS, new Map(), path);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => witness.addCheckpoint(grow(i + 1))));
    expect(answers.map((a) => a.decision.kind)).toEqual(Array(20).fill('cosign'));
    expect((await loadWitnessState(path)).get(LOG.name)?.size).toBe(20);
  });

  it('given a cosigned checkpoint, when the state is read back from disk, then it holds that size and root, and no temporary file is left', async () => {
    const path = join(dir, 'state.json');
    await new Witness(WITNESS, LOGS, new Map(), path).addCheckpoint(request(7, 3));
    expect(await loadWitnessState(path)).toEqual(new Map([[LOG.name, { size: 7, rootHash: Buffer.alloc(32, 3) }]]));
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe('aal-witness-state/v1');
  });

  it('given a state file that cannot be written, when a checkpoint would be cosigned, then no cosignature is given and the held state is unchanged', async () => {
    const witness = new Witness(WITNESS, LOGS, new Map(), join(dir, 'missing-folder', 'state.json'));
    await expect(witness.addCheckpoint(request(5, 1))).rejects.toThrow();
    expect(witness.held(LOG.name)).toBeUndefined();
  });

  it('given no state file, when loaded, then the witness starts empty', async () => {
    expect((await loadWitnessState(join(dir, 'none.json'))).size).toBe(0);
  });
});
