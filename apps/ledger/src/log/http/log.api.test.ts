import { parseVerifierKey, verifyCheckpoint, verifyConsistency, verifyInclusion } from '@aal/ledger-core';
import { testCheckpointSettings, type httpClient } from '@aal/testing';
import { registeredModel } from '../../testing/events';
import { TestLedger, type LatestCheckpoint } from '../../testing/test-ledger';

const buf = (hex: string) => Buffer.from(hex, 'hex');

describe('ledger API: checkpoints, public key and proofs', () => {
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  const keys = testCheckpointSettings('proofs.test/aal', { minIntervalMs: 50, idleIntervalMs: 200 });
  let first: LatestCheckpoint;
  let second: LatestCheckpoint;

  beforeAll(async () => {
    ledger = await TestLedger.start('proofs-test', { checkpoints: keys.settings });
    call = ledger.call;
    const publish = (n: number) => ledger.publish(Array.from({ length: n }, () => registeredModel('Proofs')));
    await publish(7);
    first = await ledger.checkpoint((treeSize) => treeSize === 7, 'checkpoint 7', 30000);
    await publish(6);
    second = await ledger.checkpoint((treeSize) => treeSize === 13, 'checkpoint 13', 30000);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('serves the verifier key, and every checkpoint verifies with it', async () => {
    const key = await call('GET', '/log/public-key');
    expect(key.body).toMatchObject({ origin: 'proofs.test/aal', keyName: 'proofs.test/aal' });
    const verifier = parseVerifierKey(key.body.verifierKey);
    expect(key.body.keyId).toBe(verifier.keyId.toString('hex'));
    const all = await call('GET', '/checkpoints?limit=1000');
    for (const c of all.body.checkpoints) {
      const verified = verifyCheckpoint(c.note, verifier, 'proofs.test/aal');
      expect(verified.size).toBe(c.treeSize);
      expect(verified.rootHash.toString('hex')).toBe(c.rootHash);
    }
    const plain = await fetch(`${ledger.baseUrl}/checkpoint`);
    expect(plain.headers.get('content-type')).toContain('text/plain');
    expect(await plain.text()).toBe(second.note);
  });

  it('finds the checkpoint at or before a size or a time', async () => {
    // Partitions are appended one batch at a time, so a checkpoint may also fall between 7 and 13.
    const sizes: number[] = (await call('GET', '/checkpoints?limit=1000')).body.checkpoints.map((c: { treeSize: number }) => c.treeSize);
    expect((await call('GET', '/checkpoints/at?size=12')).body).toMatchObject({ treeSize: Math.max(...sizes.filter((n) => n <= 12)) });
    expect((await call('GET', '/checkpoints/at?size=7')).body).toMatchObject({ treeSize: 7 });
    expect((await call('GET', '/checkpoints/at?size=13')).body).toMatchObject({ treeSize: 13 });
    expect((await call('GET', `/checkpoints/at?time=${encodeURIComponent(new Date().toISOString())}`)).body).toMatchObject({
      treeSize: 13,
    });
    const none = await call('GET', '/checkpoints/at?time=2000-01-01T00:00:00Z');
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('CHECKPOINT.NOT_FOUND');
    expect((await call('GET', '/checkpoints/at?size=3&time=2000-01-01T00:00:00Z')).status).toBe(400);
  });

  it('proves every entry is in the signed tree, and a wrong proof or wrong size is rejected', async () => {
    const root = buf(second.rootHash);
    for (let seq = 0; seq < 13; seq++) {
      const res = await call('GET', `/entries/${seq}/inclusion-proof?treeSize=13`);
      expect(res.status).toBe(200);
      expect(() => verifyInclusion(buf(res.body.leafHash), seq, 13, res.body.proof.map(buf), root)).not.toThrow();
    }
    const proof = (await call('GET', '/entries/4/inclusion-proof?treeSize=13')).body;
    const altered = proof.proof.map(buf);
    altered[0]![0] ^= 1;
    expect(() => verifyInclusion(buf(proof.leafHash), 4, 13, altered, root)).toThrow(
      expect.objectContaining({ code: 'PROOF.INCLUSION_MISMATCH' }),
    );
    const forSmallerTree = (await call('GET', '/entries/4/inclusion-proof?treeSize=7')).body;
    expect(() => verifyInclusion(buf(forSmallerTree.leafHash), 4, 13, forSmallerTree.proof.map(buf), root)).toThrow();
    expect(() => verifyInclusion(buf(proof.leafHash), 5, 13, proof.proof.map(buf), root)).toThrow();
  });

  it('proves the later checkpoint extends the earlier one', async () => {
    const res = await call('GET', '/proofs/consistency?from=7&to=13');
    expect(() => verifyConsistency(7, 13, buf(first.rootHash), buf(second.rootHash), res.body.proof.map(buf))).not.toThrow();
    const forged = Buffer.alloc(32, 7);
    expect(() => verifyConsistency(7, 13, forged, buf(second.rootHash), res.body.proof.map(buf))).toThrow(
      expect.objectContaining({ code: 'PROOF.CONSISTENCY_MISMATCH' }),
    );
  });

  it('exposes the log in Prometheus metrics', async () => {
    const text = await (await fetch(`${ledger.baseUrl}/metrics`)).text();
    expect(text).toMatch(/ledger_entries_appended_total\{service="ledger"\} 13/);
    expect(text).toMatch(/ledger_tree_size\{service="ledger"\} 13/);
    expect(text).toMatch(/ledger_checkpoint_size\{service="ledger"\} 13/);
  });

  it('answers impossible proof requests with problems', async () => {
    const beyond = await call('GET', '/entries/2/inclusion-proof?treeSize=99');
    expect(beyond.status).toBe(404);
    expect(beyond.body).toMatchObject({ code: 'PROOF.BEYOND_LOG', logSize: 13 });
    expect((await call('GET', '/entries/13/inclusion-proof?treeSize=13')).body.code).toBe('PROOF.NOT_IN_TREE');
    expect((await call('GET', '/proofs/consistency?from=9&to=7')).body.code).toBe('PROOF.BAD_RANGE');
    const malformed = await call('GET', '/entries/abc/inclusion-proof?treeSize=x');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.INVALID');
  });
});
