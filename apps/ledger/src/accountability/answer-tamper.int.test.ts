import { comparableAnswer } from '@aal/accountability';
import { subjectOf } from '@aal/contracts';
import { parseVerifierKey, verifierKeyString } from '@aal/ledger-core';
import { type httpClient, testCheckpointSettings, tokenFor } from '@aal/testing';
import { runCli, verifyCaseBundle, type CaseBundle } from '@aal/verifier';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { incidentScenario, investigators, referIncident } from '../investigations/testing/case-scenario';
import { capturedIo } from '../testing/captured-io';
import { TestLedger } from '../testing/test-ledger';
import { SelfAudit } from './application/self-audit';

// A database writer (superuser, triggers off) edits what the ledger stores beside its hashed
// entries. For each kind of edit: what the investigator is then shown (the accountability API and
// the case export), and where it is caught (the export checked offline with the shared code, the
// self-audit, or a full-log verify). docs/security.md has the table this test proves.

const origin = 'answer-tamper.test/aal';
const { lead } = investigators;

describe('editing the projection or the denormalised columns cannot change an answer unnoticed', () => {
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  let admin: Client;
  let caseId: string;
  let dir: string;
  const keys = testCheckpointSettings(origin, { minIntervalMs: 50, idleIntervalMs: 200 });
  const verifierKey = verifierKeyString(keys.settings.signer.name, keys.settings.signer.publicKey);
  const scenario = incidentScenario();
  const outputId = scenario.ids.outputId;

  let auditor: string;
  const answer = async () => {
    const res = await call('GET', `/outputs/${encodeURIComponent(outputId)}/accountability`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  const exported = async (): Promise<CaseBundle> => {
    const res = await call('GET', `/cases/${caseId}/export`, { caller: lead });
    expect(res.status).toBe(200);
    return res.body as CaseBundle;
  };
  const offline = (bundle: CaseBundle) =>
    verifyCaseBundle(JSON.parse(JSON.stringify(bundle)), { key: parseVerifierKey(verifierKey), origin });
  const audit = () => ledger.app.get(SelfAudit).runOnce();
  /** Runs `sql` as the superuser with the append-only triggers off. */
  const asAttacker = async (...sql: string[]) => {
    await admin.query('ALTER TABLE ledger.entries DISABLE TRIGGER USER');
    for (const statement of sql) await admin.query(statement);
    await admin.query('ALTER TABLE ledger.entries ENABLE TRIGGER USER');
  };
  /** The first entry of `type` whose value contains `text` (entries of one batch may be recorded in any order). */
  const seqOf = async (type: string, text = '') =>
    Number(
      (
        await admin.query(
          `SELECT min(seq) AS seq FROM ledger.entries WHERE type = $1 AND position($2 in convert_from(value, 'UTF8')) > 0`,
          [type, text],
        )
      ).rows[0].seq,
    );
  /** The overridden action's entry, found by its hashed value (a test below rewrites its type column). */
  const overridden = async () =>
    Number(
      (
        await admin.query(
          `SELECT min(seq) AS seq FROM ledger.entries WHERE position('"action":"overridden"' in convert_from(value, 'UTF8')) > 0`,
        )
      ).rows[0].seq,
    );
  /** The answer without what moves as case reads are appended: knownAt, the basis and the proof links. */
  // The proven answer; `oversightContext` beside it is the projection's, and names the clock too.
  const shown = (a: Record<string, unknown>) => JSON.stringify(comparableAnswer({ ...a, knownAt: undefined, oversightContext: undefined }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'answer-tamper-'));
    // The background audit is off: the test runs it when it wants a verdict.
    ledger = await TestLedger.start('answer-tamper', {
      checkpoints: keys.settings,
      selfAudit: { intervalMs: 0, sampleSize: 5, pageBudget: 10 },
    });
    call = ledger.call;
    await ledger.publish(scenario.events);
    await ledger.checkpoint((treeSize) => treeSize >= scenario.events.length, 'a checkpoint of the scenario', 30000);
    const referral = await referIncident(call, scenario.ids.incidentId, 'Referral SW-2026-118');
    expect(referral.status).toBe(201);
    const opened = await call('POST', '/cases', {
      caller: lead,
      body: { title: 'Escalated sepsis alert', incidentId: scenario.ids.incidentId },
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    auditor = await tokenFor(
      { organisationId: 'st-swithins', personId: 'psn_auditor00001', role: 'investigator' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    admin = new Client({ connectionString: ledger.db.adminUrl });
    await admin.connect();
    // The referral and the case are entries too: the answer names a checkpoint only once one covers them.
    const logSize = Number((await admin.query('SELECT max(seq) + 1 AS size FROM ledger.entries')).rows[0].size);
    await ledger.checkpoint((treeSize) => treeSize >= logSize, 'a checkpoint of the case');
  });

  afterAll(async () => {
    await admin?.end();
    await ledger?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('given no edit, the served answer names its basis, the export verifies offline with its answers recomputed, and the self-audit agrees', async () => {
    const a = await answer();
    expect(a.basis.checkpoint).toEqual({ treeSize: expect.any(Number), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(a.basis.seqs.length).toBeGreaterThanOrEqual(10);
    expect(offline(await exported())).toMatchObject({ ok: true, recomputedAnswers: 1 });
    expect((await audit()).mismatches).toEqual([]);
    expect((await call('GET', '/health/ready')).body.status).toBe('ready');
  });

  it('given a real export whose stated answer was edited (a finding dropped, an action changed), ledger-verify --bundle recomputes it, names the first differing item and exits 1', async () => {
    const bundle = await exported();
    const chain = bundle.accountability[0]!['chain'] as { actedOn: { actions: Array<{ action: string }> }; findings: unknown[] };
    const edits: Array<[string, CaseBundle, RegExp]> = [
      [
        'action',
        {
          ...bundle,
          accountability: [
            {
              ...bundle.accountability[0]!,
              chain: { ...chain, actedOn: { ...chain.actedOn, actions: chain.actedOn.actions.map((a) => ({ ...a, action: 'accepted' })) } },
            },
          ],
        },
        /\/accountability\/0\/chain\/actedOn\/actions\/0\/action/,
      ],
      ['finding', { ...bundle, findings: bundle.findings.filter((f) => f.code !== 'ACTION.OVERRIDDEN') }, /\/findings\/\d+/],
    ];
    for (const [name, edited, pointer] of edits) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(edited));
      const { io, stdout, stderr } = capturedIo(dir);
      const status = await runCli(['--bundle', file, '--key', verifierKey], io);
      expect({ name, status, stdout: stdout() }).toEqual({ name, status: 1, stdout: '' });
      expect(stderr()).toContain('(answer-differs)');
      expect(stderr()).toMatch(pointer);
    }
  });

  it("given the denormalised entry columns (type, subject, event_time) and the projection's copied data rewritten, the answer shown does not change", async () => {
    const before = shown(await answer());
    const acted = await overridden();
    await asAttacker(
      `UPDATE ledger.entries SET type = 'aal.output.presented.v1', subject = 'output/someone-else', event_time = event_time - interval '3 days' WHERE seq = ${acted}`,
      `UPDATE ledger.facts SET type = 'aal.model.registered.v1', subject = 'model/x', event_time = now(), data = '{"action":"accepted"}'::jsonb WHERE seq = ${acted}`,
    );
    expect(shown(await answer())).toBe(before);
    expect(offline(await exported())).toMatchObject({ ok: true });
    expect((await audit()).mismatches).toEqual([]);
  });

  it("given an entry's projection keys emptied (or its row deleted), the ledger leaves it out; the offline check cannot see the omission, the self-audit names the seq and readiness turns degraded", async () => {
    const acted = await overridden();
    const row = (await admin.query(`SELECT keys FROM ledger.facts WHERE seq = $1`, [acted])).rows[0];
    for (const edit of [`UPDATE ledger.facts SET keys = '{}' WHERE seq = ${acted}`, `DELETE FROM ledger.facts WHERE seq = ${acted}`]) {
      await asAttacker(edit);
      expect((await answer()).actedOn.actions.map((x: { evidence: number[] }) => x.evidence[0])).not.toContain(acted);
      // The export leaves the entry out too, consistently: a bundle cannot prove what it does not hold.
      expect(offline(await exported())).toMatchObject({ ok: true });
      const run = await audit();
      expect(run.mismatches).toContainEqual(expect.objectContaining({ outputId, seq: acted }));
      const ready = await call('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.checks).toContainEqual(
        expect.objectContaining({ name: 'self-audit', ok: false, detail: expect.stringContaining(`seq ${acted}`) }),
      );
      expect(await (await fetch(`${ledger.baseUrl}/metrics`)).text()).toMatch(/^ledger_self_audit_mismatches_total(\{[^}]*\})? [1-9]\d*$/m);
      await asAttacker(
        `DELETE FROM ledger.facts WHERE seq = ${acted}`,
        `INSERT INTO ledger.facts (seq, recorded_at, keys) SELECT seq, recorded_at, '${`{${(row.keys as string[]).map((k) => `"${k}"`).join(',')}}`}'::text[] FROM ledger.entries WHERE seq = ${acted}`,
      );
      expect((await audit()).mismatches).toEqual([]);
      expect((await call('GET', '/health/ready')).body.status).toBe('ready');
    }
  });

  it('given a fake projection row pointing an unrelated entry at the output, the answer does not change, the basis names the extra entry: the offline check and the self-audit name it', async () => {
    const before = shown(await answer());
    const mandate = await seqOf('aal.mandate.granted.v1');
    await asAttacker(`UPDATE ledger.facts SET keys = array_append(keys, '${subjectOf('output', outputId)}') WHERE seq = ${mandate}`);
    expect(shown(await answer())).toBe(before);
    expect(offline(await exported())).toMatchObject({
      ok: false,
      problem: { kind: 'answer-differs', evidence: { outputId, pointer: expect.stringContaining('/basis/seqs/'), stated: mandate } },
    });
    expect((await audit()).mismatches).toContainEqual(expect.objectContaining({ outputId, seq: mandate }));
    await asAttacker(`UPDATE ledger.facts SET keys = array_remove(keys, '${subjectOf('output', outputId)}') WHERE seq = ${mandate}`);
    expect((await audit()).mismatches).toEqual([]);
  });

  it("given an entry's hashed value rewritten to another valid event, the answer shown changes, and the export checked offline fails naming the entry", async () => {
    const acted = await overridden();
    await asAttacker(
      `UPDATE ledger.entries SET value = convert_to(replace(convert_from(value, 'UTF8'), '"action":"overridden"', '"action":"accepted"'), 'UTF8') WHERE seq = ${acted}`,
    );
    expect((await answer()).actedOn.actions.find((x: { evidence: number[] }) => x.evidence[0] === acted).action).toBe('accepted');
    const outcome = offline(await exported());
    expect(outcome).toMatchObject({ ok: false, problem: { kind: 'entry-tampered', seq: acted } });
    // The self-audit decodes the same rewritten bytes, so it agrees with the answer: hashes are the verifier's job.
    expect((await audit()).mismatches).toEqual([]);
  });

  it("given an entry's value rewritten to bytes that are no valid event, the ledger refuses to answer from it rather than skip it, and the self-audit names the seq", async () => {
    const acted = (
      await admin.query(
        `SELECT min(seq) AS seq FROM ledger.entries WHERE position('"action":"accepted"' in convert_from(value, 'UTF8')) > 0`,
      )
    ).rows[0].seq as string;
    await asAttacker(`UPDATE ledger.entries SET value = convert_to('{"not":"an event"}', 'UTF8') WHERE seq = ${acted}`);
    const res = await call('GET', `/outputs/${encodeURIComponent(outputId)}/accountability`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(res.status).toBe(500);
    expect((await audit()).mismatches).toContainEqual(expect.objectContaining({ outputId: null, seq: Number(acted) }));
    expect((await call('GET', '/health/ready')).body.status).toBe('degraded');
  });
});
