import { checkCosignatures, parseWitnessVerifierKey, verifierKeyString } from '@aal/ledger-core';
import { eventually, type httpClient, REPO_ROOT, spawnWitness, testCheckpointSettings, tokenFor, type SpawnedWitness } from '@aal/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registeredModel } from '../testing/events';
import { TestLedger } from '../testing/test-ledger';
import { parseWitnesses } from './domain/witness-config';

// The real ledger (Kafka, PostgreSQL) with a real witness process (bin/ledger-witness.js): the
// ledger submits its latest checkpoint every interval, stores the cosignature, serves it on
// GET /checkpoint; ledger-verify with the witness policy passes. With the witness stopped,
// appends go on and the ledger reports the witness as behind (degraded, still ready).

const INTERVAL_MS = 300;

describe('ledger with a witness process', () => {
  let ledger: TestLedger;
  let witness: SpawnedWitness;
  let call: ReturnType<typeof httpClient>;
  let publish: (n: number) => Promise<unknown>;
  const keys = testCheckpointSettings('witness.test/aal', { minIntervalMs: 50, idleIntervalMs: 200 });
  const logKey = verifierKeyString(keys.settings.signer.name, keys.settings.signer.publicKey);

  beforeAll(async () => {
    witness = await spawnWitness({ logs: [{ origin: 'witness.test/aal', verifierKey: logKey }] });
    const witnesses = {
      witnesses: parseWitnesses(`${witness.url}=${witness.verifierKey}`),
      intervalMs: INTERVAL_MS,
      timeoutMs: 2000,
      behindAfterIntervals: 3,
    };
    ledger = await TestLedger.start('witness-test', { checkpoints: keys.settings, witnesses });
    call = ledger.call;
    publish = (n) => ledger.publish(Array.from({ length: n }, () => registeredModel('Witnessed')));
  }, 120_000);

  afterAll(async () => {
    await ledger?.stop();
    await witness?.stop();
  });

  const cosignedSize = async () => {
    const response = await fetch(`${ledger.baseUrl}/checkpoint`);
    const note = await response.text();
    const { valid } = checkCosignatures(note, [parseWitnessVerifierKey(witness.verifierKey)]);
    return { size: Number(note.split('\n')[1]), cosigned: valid.length === 1, note };
  };

  it('given events, when the interval passes, then GET /checkpoint carries the witness cosignature, and it grows with the log (consistency proof from the held size)', async () => {
    await publish(5);
    const first = await eventually(cosignedSize, (c) => c.size === 5 && c.cosigned, 30_000, 'cosigned checkpoint of size 5');
    expect(first.note.split('\n').filter((l) => l.startsWith('— '))).toHaveLength(2);
    await publish(3);
    await eventually(cosignedSize, (c) => c.size === 8 && c.cosigned, 30_000, 'cosigned checkpoint of size 8');
    // Later rounds with no growth do not ask again: still one cosignature on checkpoint 8.
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 4));
    expect((await cosignedSize()).note.split('\n').filter((l) => l.startsWith('— '))).toHaveLength(2);
    const witnessed = await (await fetch(`${ledger.baseUrl}/checkpoint/witnessed`)).text();
    expect(witnessed.split('\n')[1]).toBe('8');
  }, 90_000);

  it('given the cosigned log, when ledger-verify runs over HTTP with the witness policy, then it passes and names the witness', async () => {
    const token = await tokenFor(
      { organisationId: 'log-witness', personId: 'psn_logwitness001', role: 'auditor' },
      { grants: ['all-organisations'] },
    );
    const dir = mkdtempSync(join(tmpdir(), 'aal-witness-verify-'));
    const args = [
      '--url',
      ledger.baseUrl,
      '--key',
      logKey,
      '--token',
      token,
      '--state',
      join(dir, 'state.json'),
      '--witness-key',
      witness.verifierKey,
      '--witnesses-required',
      '1',
    ];
    // Asynchronously: the ledger answers from this very process, so a blocking spawn would starve it.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(REPO_ROOT, 'bin', 'ledger-verify.js'), ...args],
        { cwd: dir, encoding: 'utf8', timeout: 170_000 },
        (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
      );
    });
    expect({ status: run.status, stderr: run.stderr.includes('FAILED') ? run.stderr : 'no failure' }).toEqual({
      status: 0,
      stderr: 'no failure',
    });
    expect(run.stdout).toContain(`by ${witness.name} (1 of 1 required)`);
  }, 180_000);

  it('given the witness stopped, when events keep arriving, then appends and checkpoints go on and readiness shows the witness behind without failing', async () => {
    await witness.stop();
    await publish(4);
    await eventually(cosignedSize, (c) => c.size === 12 && !c.cosigned, 30_000, 'uncosigned checkpoint of size 12');
    const ready = await eventually(
      () => call('GET', '/health/ready'),
      (r) => r.body?.status === 'degraded',
      30_000,
      'readiness degraded',
    );
    expect(ready.status).toBe(200);
    const check = ready.body.checks.find((c: { name: string }) => c.name === 'witnesses');
    expect(check).toMatchObject({ ok: false, advisory: true });
    expect(check.detail).toContain(`${witness.name} (unreachable`);
    const metrics = await (await fetch(`${ledger.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`ledger_witness_failures_total\\{[^}]*witness="${witness.name.replace(/[.]/g, '\\.')}"[^}]*reason="unreachable"`),
    );
    expect(metrics).toMatch(/ledger_witness_cosigned_size\{[^}]*\} 8/);
  }, 90_000);
});
