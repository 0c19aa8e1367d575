import { actors, httpClient, makeEvent, testCheckpointSettings, tokenFor } from '@aal/testing';
import { runMonitorCli, type MonitorIo } from '@aal/verifier';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturedIo } from '../../testing/captured-io';
import { TestLedger } from '../../testing/test-ledger';

const ORIGIN = 'monitor.test/aal';

/** `ledger-monitor` following a real ledger as it grows, as a regulator or an employer would run it. */
describe('ledger-monitor against a live ledger', () => {
  let ledger: TestLedger;
  let dir: string;
  const keys = testCheckpointSettings(ORIGIN, { minIntervalMs: 50, idleIntervalMs: 200 });
  const employer = (org: string) => ({ ...actors.requester, organisationId: org });
  const requested = (org: string) =>
    makeEvent('deployment.requested', {
      deploymentId: randomUUID(),
      employerId: org,
      modelId: randomUUID(),
      versionId: randomUUID(),
      setting: { sites: ['ward-7'], services: ['Acute medicine'], roles: ['staff-nurse'] },
      intendedUse: 'Sepsis early warning.',
      actor: employer(org),
    });
  const registered = () =>
    makeEvent('model.registered', {
      modelId: randomUUID(),
      vendorId: 'acme-ai',
      name: 'Monitor',
      intendedPurpose: 'Monitor test.',
      riskClass: 'uk-mdr-class-i',
      manufacturerSafetyOfficer: 'psn_acmecso00001',
      actor: actors.vendorAdmin,
    });

  async function publishAndSettle(events: ReturnType<typeof makeEvent>[], size: number) {
    await ledger.publish(events);
    await ledger.checkpoint((treeSize) => treeSize === size, `checkpoint ${size}`);
  }

  beforeAll(async () => {
    ledger = await TestLedger.start('monitor-test', { checkpoints: keys.settings });
    dir = mkdtempSync(join(tmpdir(), 'aal-monitor-'));
  });

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts once for every proven entry naming the watched organisation, round after round, and remembers what it verified', async () => {
    const first = [requested('st-swithins'), registered(), requested('other-trust'), requested('st-swithins')];
    await publishAndSettle(first, 4);
    const later = [registered(), requested('st-swithins')];
    const { io: captured, stdout, stderr } = capturedIo(dir);
    let polls = 0;
    const io: MonitorIo = {
      ...captured,
      clock: () => performance.now(),
      sleep: async () => {
        polls += 1;
        if (polls === 1) await publishAndSettle(later, 6);
      },
    };
    const publicKey = (await httpClient(ledger.baseUrl)('GET', '/log/public-key')).body.verifierKey as string;
    const token = await tokenFor(
      { organisationId: 'care-quality-audit', personId: 'psn_cqa_auditor_1', role: 'auditor' },
      { grants: ['all-organisations'] },
    );
    const status = await runMonitorCli(
      ['--url', ledger.baseUrl, '--key', publicKey, '--token', token, '--org', 'st-swithins', '--interval', '0.01', '--rounds', '3'],
      io,
    );

    expect({ status, err: stderr() }).toMatchObject({ status: 0 });
    const alerts = stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
    // Partitions interleave, so where each event landed is read back from the log.
    const watchedSubjects = new Set([first[0]!, first[3]!, later[1]!].map((e) => e.subject));
    const entries = (await httpClient(ledger.baseUrl)('GET', '/entries', { headers: { authorization: `Bearer ${token}` } })).body
      .entries as Array<{ seq: number; headers: Record<string, string> }>;
    const expected = entries.filter((e) => watchedSubjects.has(e.headers['ce_subject']!)).map((e) => e.seq);
    expect(expected).toHaveLength(3);
    expect(alerts.map((a) => [a['alert'], a['seq'], a['organisationId']])).toEqual(
      expected.map((seq) => ['organisation-named', seq, 'st-swithins']),
    );
    expect(alerts.map((a) => a['subject']).every((subject) => watchedSubjects.has(subject))).toBe(true);
    expect(alerts[0]).toMatchObject({
      type: 'aal.deployment.requested.v1',
      pointers: expect.arrayContaining(['/employerId', '/actor/organisationId']),
    });
    // Each is said once the ledger signed a checkpoint covering it (checkpoint sizes depend on timing).
    expect(alerts.every((a) => a['provenBy'].treeSize > a['seq'] && a['provenBy'].treeSize <= 6)).toBe(true);
    expect(alerts.every((a) => /^[0-9a-f]{64}$/.test(a['provenBy'].rootHash))).toBe(true);
    const state = JSON.parse(readFileSync(join(dir, '.ledger-verify', 'monitor.test-aal.json'), 'utf8'));
    expect(state).toMatchObject({ origin: ORIGIN, treeSize: 6 });

    // Restarted without --org, it re-verifies the log from seq 0 against the saved state and has nothing to say.
    const again: string[] = [];
    const restarted = await runMonitorCli(['--url', ledger.baseUrl, '--key', publicKey, '--token', token, '--rounds', '1'], {
      ...io,
      stdout: { write: (s: string) => again.push(s) },
    });
    expect(restarted).toBe(0);
    expect(again).toEqual([]);
  });
});
