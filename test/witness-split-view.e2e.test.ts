import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendSignatureLines,
  buildConsistencyProof,
  formatAddCheckpointRequest,
  nodeKey,
  nodesForConsistencyProof,
  rootFromLeaves,
  TLOG_SIZE_CONTENT_TYPE,
} from '@aal/ledger-core';
import { REPO_ROOT, spawnWitness, type SpawnedWitness } from '@aal/testing';
import { buildTestLog, extendLog, signCheckpoints, toBundle, type TestLog } from '../libs/verifier/src/testing/log-fixture';
import type { WireCheckpoint, WireEntry } from '../libs/verifier/src/wire-format';

// The split view: the operator holds the log key, forks the log (two histories after one shared
// prefix) and offers each fork to the witness, which runs as its own process
// (bin/ledger-witness.js). The witness cosigns at most one; ledger-verify with the witness policy
// accepts the cosigned fork and rejects the other, naming the witness whose cosignature is missing.

const VERIFY = join(REPO_ROOT, 'bin', 'ledger-verify.js');
let dir: string;
let prefix: TestLog;
let forkA: WireEntry[];
let forkB: WireEntry[];
let witness: SpawnedWitness;

const leavesOf = (entries: readonly WireEntry[]) => entries.map((e) => Buffer.from(e.leafHash, 'hex'));
function proof(entries: readonly WireEntry[], from: number, to: number): Buffer[] {
  if (from === 0 || from === to) return [];
  const leaves = leavesOf(entries);
  const nodes = new Map(
    nodesForConsistencyProof(from, to).map((id) => [
      nodeKey(id),
      rootFromLeaves(leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level)),
    ]),
  );
  return buildConsistencyProof(from, to, nodes);
}
const checkpointAt = (entries: WireEntry[], size: number): WireCheckpoint =>
  signCheckpoints(entries, [size], prefix.origin, prefix.signer)[0]!;

async function addCheckpoint(
  old: number,
  proofHashes: Buffer[],
  note: string,
): Promise<{ status: number; contentType: string | null; body: string }> {
  const response = await fetch(`${witness.url}/add-checkpoint`, {
    method: 'POST',
    body: formatAddCheckpointRequest(old, proofHashes, note),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

function verify(name: string, entries: WireEntry[], checkpoints: WireCheckpoint[], ...policy: string[]) {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(toBundle({ ...prefix, entries, checkpoints })));
  const run = spawnSync(
    process.execPath,
    [VERIFY, '--bundle', path, '--key', prefix.verifierKey, '--state', join(dir, `${name}.state.json`), ...policy],
    { cwd: dir, encoding: 'utf8', timeout: 170_000 },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aal-split-view-'));
  prefix = buildTestLog(5, [5]);
  forkA = extendLog(prefix.entries, 5, '-fork-a');
  forkB = extendLog(prefix.entries, 7, '-fork-b');
  witness = await spawnWitness({ logs: [{ origin: prefix.origin, verifierKey: prefix.verifierKey }] });
}, 180_000);
afterAll(async () => {
  await witness?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('split view against a witness process', () => {
  let cosignedA: string;

  it('given the shared prefix then fork A, when submitted in turn, then the witness cosigns both (A extends the prefix)', async () => {
    const atPrefix = await addCheckpoint(0, [], prefix.checkpoints[0]!.note);
    expect(atPrefix.status).toBe(200);
    expect(atPrefix.body).toMatch(new RegExp(`^— ${witness.name.replace(/[.]/g, '\\.')} [A-Za-z0-9+/=]+\\n$`));
    const a = await addCheckpoint(5, proof(forkA, 5, 10), checkpointAt(forkA, 10).note);
    expect(a.status).toBe(200);
    cosignedA = appendSignatureLines(checkpointAt(forkA, 10).note, [a.body]);
  });

  it('given A held at size 10, when fork B is offered from an old size, then 409 with the size held, as text/x.tlog.size', async () => {
    const b = await addCheckpoint(5, proof(forkB, 5, 10), checkpointAt(forkB, 10).note);
    expect(b).toEqual({ status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: '10\n' });
  });

  it('given A held at size 10, when B at the same size 10 is offered, then 409 (another root for the size held)', async () => {
    expect((await addCheckpoint(10, [], checkpointAt(forkB, 10).note)).status).toBe(409);
  });

  it("given A held at size 10, when B grows to 12 and comes with B's own proof from 10, then 422 and nothing is cosigned", async () => {
    const b = await addCheckpoint(10, proof(forkB, 10, 12), checkpointAt(forkB, 12).note);
    expect(b.status).toBe(422);
  });

  it('given a restart of the witness process, when B is offered again, then the state survived: 409 at size 10', async () => {
    await witness.stop();
    witness = await spawnWitness({
      logs: [{ origin: prefix.origin, verifierKey: prefix.verifierKey }],
      keyFile: witness.keyFile,
      stateFile: witness.stateFile,
    });
    const b = await addCheckpoint(0, [], checkpointAt(forkB, 12).note);
    expect(b).toEqual({ status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: '10\n' });
  }, 60_000);

  it('given a verifier with the witness policy, when shown fork A with its cosignature, then it verifies and says who witnessed it', () => {
    const run = verify(
      'fork-a',
      forkA,
      [{ ...checkpointAt(forkA, 10), note: cosignedA }],
      '--witness-key',
      witness.verifierKey,
      '--witnesses-required',
      '1',
    );
    expect(run.stderr).not.toContain('FAILED');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`witnessed at size 10 by ${witness.name} (1 of 1 required)`);
  });

  it('given the same verifier, when shown fork B (signed by the log key, never cosigned), then it exits 1 naming the missing witness', () => {
    const run = verify('fork-b', forkB, [checkpointAt(forkB, 12)], '--witness-key', witness.verifierKey, '--witnesses-required', '1');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('(checkpoint-not-witnessed)');
    expect(run.stderr).toContain(`${witness.name} (missing)`);
  });

  it("given fork B with A's cosignature stapled on, when verified with the policy, then it exits 1 naming the bad cosignature", () => {
    const stapled = appendSignatureLines(checkpointAt(forkB, 10).note, [
      cosignedA.split('\n').filter((l) => l.startsWith(`— ${witness.name} `))[0]!,
    ]);
    const run = verify(
      'fork-b-stapled',
      forkB.slice(0, 10),
      [{ ...checkpointAt(forkB, 10), note: stapled }],
      '--witness-key',
      witness.verifierKey,
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${witness.name} (bad: the cosignature`);
  });

  it('given the same fork B, when verified without a witness policy, then the log key alone accepts it: the policy is what catches the split view', () => {
    expect(verify('fork-b-no-policy', forkB, [checkpointAt(forkB, 12)]).status).toBe(0);
  });
});
