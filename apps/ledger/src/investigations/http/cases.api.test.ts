import { subjectOf } from '@aal/contracts';
import { verifierKeyString } from '@aal/ledger-core';
import { eventually, type httpClient, testCheckpointSettings, testEventKeySet, tokenFor } from '@aal/testing';
import { CASE_BUNDLE_FORMAT, runCli, verifyCaseBundle, type CaseBundle } from '@aal/verifier';
import { parseVerifierKey } from '@aal/ledger-core';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerConfig } from '../../config';
import { capturedIo } from '../../testing/captured-io';
import { TestLedger } from '../../testing/test-ledger';
import { caseEventSigningKey, trustingOwnCaseEvents } from '../infrastructure/case-event-key';
import { HOSTILE_RATIONALE, incidentScenario, investigators, referIncident } from '../testing/case-scenario';

// Investigations against real Kafka and PostgreSQL: the case events travel outbox → the ledger's
// topic → intake → log like everyone's, so every assertion on them waits for the log.

const { lead, regulator, stranger } = investigators;
const origin = 'cases.test/aal';

describe('ledger API: investigation cases', () => {
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  let dir: string;
  const keys = testCheckpointSettings(origin, { minIntervalMs: 50, idleIntervalMs: 200 });
  const verifierKey = verifierKeyString(keys.settings.signer.name, keys.settings.signer.publicKey);
  const scenario = incidentScenario();
  let caseId: string;
  let mandateId: string;
  let config: LedgerConfig;

  /** Raw GET as `caller`, for answers that are not JSON. */
  const raw = async (path: string, caller: (typeof investigators)[keyof typeof investigators]) =>
    fetch(`${ledger.baseUrl}${path}`, { headers: { authorization: `Bearer ${await tokenFor(caller)}` } });

  /** The case's events in the log (they arrive through Kafka, so wait for them). */
  const caseEvents = async (type: string, until: (events: any[]) => boolean) =>
    eventually(
      async () =>
        ((await call('GET', `/cases/${caseId}/timeline`, { caller: lead })).body.entries as any[]).filter((e) => e.eventType === type),
      until,
      30000,
      `${type} events of the case in the log`,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cases-api-'));
    ledger = await TestLedger.start('cases-test', { checkpoints: keys.settings });
    config = ledger.config;
    call = ledger.call;
    // The incident report goes last, once the chain is in the log, so `knownAt` just before it
    // sees the whole chain but no incident.
    const chain = scenario.events.slice(0, -1);
    await ledger.publish(chain);
    await ledger.checkpoint((treeSize) => treeSize >= chain.length, 'a checkpoint of the chain', 30000);
    await ledger.publish(scenario.events.slice(-1));
    await ledger.checkpoint((treeSize) => treeSize >= scenario.events.length, 'a checkpoint of the scenario', 30000);
    // The hospital's clinical safety officer refers the incident to hsib: its mandate to investigate.
    const referral = await referIncident(call, scenario.ids.incidentId, 'Referral SW-2026-117');
    expect(referral.status).toBe(201);
    mandateId = referral.body.mandateId;
  });

  afterAll(async () => {
    await ledger?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens a case about an incident, recording who opened it, when and against which checkpoint', async () => {
    const latest = (await call('GET', '/checkpoints/latest')).body;
    const opened = await call('POST', '/cases', {
      caller: lead,
      body: { title: 'Escalated sepsis alert, ward 7A', incidentId: scenario.ids.incidentId },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      title: 'Escalated sepsis alert, ward 7A',
      status: 'open',
      organisationId: 'hsib',
      incidentId: scenario.ids.incidentId,
      openedBy: lead,
      investigators: [{ organisationId: lead.organisationId, personId: lead.personId }],
      basis: [{ organisationId: 'st-swithins', by: 'mandate', mandateIds: [mandateId] }],
    });
    expect(opened.body.openedAgainst.treeSize).toBeGreaterThanOrEqual(latest.treeSize);
    expect(opened.body.openedAgainst.rootHash).toMatch(/^[0-9a-f]{64}$/);
    caseId = opened.body.caseId;

    const [event] = await caseEvents('aal.case.opened.v2', (e) => e.length >= 1);
    expect(event).toMatchObject({
      party: 'investigator',
      subject: subjectOf('case', caseId),
      source: expect.stringMatching(/^\/aal\/ledger\//),
    });
  });

  it("lets only the case's investigators read it: a stranger is refused until an investigator grants access", async () => {
    for (const path of ['', '/timeline', '/replay', '/export', '/report']) {
      const refused = await call('GET', `/cases/${caseId}${path}`, { caller: regulator });
      expect({ path, status: refused.status, code: refused.body.code }).toEqual({ path, status: 403, code: 'CASE.ACCESS_DENIED' });
    }
    const selfGrant = await call('POST', `/cases/${caseId}/investigators`, {
      caller: stranger,
      body: { organisationId: stranger.organisationId, personId: stranger.personId },
    });
    expect(selfGrant.status).toBe(403);

    const granted = await call('POST', `/cases/${caseId}/investigators`, {
      caller: lead,
      body: { organisationId: regulator.organisationId, personId: regulator.personId },
    });
    expect(granted.status).toBe(200);
    expect(granted.body.investigators).toEqual([
      { organisationId: lead.organisationId, personId: lead.personId },
      { organisationId: regulator.organisationId, personId: regulator.personId },
    ]);
    expect((await call('GET', `/cases/${caseId}`, { caller: regulator })).status).toBe(200);
    expect((await call('GET', `/cases/${caseId}`, { caller: stranger })).status).toBe(403);
    expect((await call('GET', `/cases/${randomCase()}`, { caller: lead })).body.code).toBe('CASE.NOT_FOUND');
  });

  it('records every read in the ledger: who, which view, and the digest of the exact answer sent', async () => {
    const res = await raw(`/cases/${caseId}`, regulator);
    const body = await res.text();
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const reads = await caseEvents('aal.case.read.v1', (e) => e.some((r) => r.summary.startsWith(regulator.personId)));
    const entries = (await call('GET', `/cases/${caseId}/replay`, { caller: lead })).body as string;
    const recorded = entries
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.eventType === 'aal.case.read.v1');
    expect(reads.length).toBeGreaterThan(0);
    expect(
      recorded.some((r) => r.data.actor.personId === regulator.personId && r.data.view === 'case' && r.data.contentDigest === digest),
    ).toBe(true);
    expect(recorded.every((r) => r.data.caseId === caseId && r.data.logSize >= 0)).toBe(true);
  });

  it('gives the timeline in ledger order with both clocks, type, source, party and summary; knownAt limits it to what the ledger knew then', async () => {
    const timeline = await eventually(
      () => call('GET', `/cases/${caseId}/timeline`, { caller: lead }),
      (r) => r.status === 200 && r.body.entries.filter((e: any) => e.party !== 'investigator').length === scenario.events.length,
      30000,
      'every scenario entry in the timeline',
    );
    const entries = timeline.body.entries as any[];
    expect(timeline.body.outputIds).toEqual([scenario.ids.outputId]);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => a - b));
    expect(new Set(entries.map((e) => e.party))).toEqual(new Set(['vendor', 'employer', 'clinical-system', 'investigator']));
    for (const e of entries)
      expect(Object.keys(e).sort()).toEqual([
        'eventId',
        'eventTime',
        'eventType',
        'party',
        'recordedAt',
        'seq',
        'source',
        'subject',
        'summary',
        'type',
      ]);
    expect(entries.find((e) => e.type === 'output.acted-on' && e.summary.includes('overridden'))).toMatchObject({
      party: 'clinical-system',
      eventTime: '2026-11-02T09:13:00.000Z',
    });

    const incident = entries.find((e) => e.type === 'incident.reported');
    const before = await call('GET', `/cases/${caseId}/timeline?knownAt=${incident.seq - 1}`, { caller: lead });
    expect(before.status).toBe(200);
    expect(before.body.knownAt).toBe(incident.seq - 1);
    expect(before.body.entries.every((e: any) => e.seq < incident.seq)).toBe(true);
    // The incident was not known yet, so neither were its outputs.
    expect(before.body.outputIds).toEqual([]);
    // Once the incident is known, so is its output's whole chain (recorded before it).
    const atIncident = await call('GET', `/cases/${caseId}/timeline?knownAt=${incident.seq}`, { caller: lead });
    expect(atIncident.body.outputIds).toEqual([scenario.ids.outputId]);
    expect(atIncident.body.entries.map((e: any) => e.seq)).toEqual(entries.filter((e) => e.seq <= incident.seq).map((e) => e.seq));
    expect(atIncident.body.entries).toHaveLength(scenario.events.length);
  });

  it("answers a case output's chain, and pushes back like the auditor route (503 with Retry-After) when the projection does not reach waitFor in time", async () => {
    const path = `/cases/${caseId}/outputs/${scenario.ids.outputId}/accountability`;
    const chain = await call('GET', path, { caller: lead });
    expect(chain.status).toBe(200);
    expect(chain.body).toMatchObject({ outputId: scenario.ids.outputId });
    const behind = await call('GET', `${path}?waitFor=999999999`, { caller: lead });
    expect(behind.status).toBe(503);
    expect(behind.headers.get('retry-after')).toBe('1');
    expect(behind.headers.get('content-type')).toContain('application/problem+json');
    expect(behind.body).toMatchObject({
      type: 'urn:aal:problem:projection.behind',
      title: 'Service Unavailable',
      code: 'PROJECTION.BEHIND',
      status: 503,
      waitFor: 999999999,
      retryAfter: 1,
      instance: `${path}?waitFor=999999999`,
    });
  });

  it('streams the replay as NDJSON in ledger order between any two positions', async () => {
    const all = (await call('GET', `/cases/${caseId}/timeline`, { caller: lead })).body.entries as any[];
    const from = all[2].seq;
    const to = all[all.length - 3].seq;
    const res = await raw(`/cases/${caseId}/replay?from=${from}&to=${to}`, lead);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual(all.filter((e) => e.seq >= from && e.seq <= to).map((e) => e.seq));
    expect(lines[0]).toMatchObject({
      seq: from,
      entry: { seq: from, value: expect.any(String), leafHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      data: expect.any(Object),
    });
    expect((await call('GET', `/cases/${caseId}/replay?from=9&to=3`, { caller: lead })).body.code).toBe('CASE.BAD_RANGE');
  });

  it('exports one bundle that ledger-verify checks offline with the pinned key, and one byte changed makes it fail naming the entry', async () => {
    const res = await raw(`/cases/${caseId}/export`, lead);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="case-${caseId}.json"`);
    const text = await res.text();
    const bundle = JSON.parse(text) as CaseBundle;
    expect(bundle.format).toBe(CASE_BUNDLE_FORMAT);
    expect(bundle.verifierKey).toBe(verifierKey);
    expect(bundle.eventSigningKeys.map((k) => k.producer)).toEqual(expect.arrayContaining(['ledger', 'usage-events']));
    expect(bundle.entries.length).toBeGreaterThanOrEqual(scenario.events.length + 1);
    expect(bundle.entries.every((e) => e.seq < bundle.checkpoint.treeSize)).toBe(true);
    expect(bundle.case).toMatchObject({ caseId, openedBy: lead, relatedOutputs: [scenario.ids.outputId] });
    expect(bundle.accountability[0]).toMatchObject({ outputId: scenario.ids.outputId, chain: expect.any(Object) });
    expect(bundle.report.html).toContain(`Verified against checkpoint ${bundle.checkpoint.treeSize}`);

    const verified = verifyCaseBundle(bundle, { key: parseVerifierKey(verifierKey), origin });
    expect(verified).toMatchObject({ ok: true, caseId, entries: bundle.entries.length });
    if (verified.ok) expect(verified.caseOpenedSeq).not.toBeNull();
    // Every entry, the ledger's own case events included, is signed by its producer's key.
    const eventKeys = trustingOwnCaseEvents(testEventKeySet(), caseEventSigningKey(config));
    expect(verifyCaseBundle(bundle, { key: parseVerifierKey(verifierKey), origin, eventKeys }).ok).toBe(true);
    expect(verifyCaseBundle(bundle, { key: parseVerifierKey(verifierKey), origin, eventKeys: testEventKeySet() })).toMatchObject({
      ok: false,
      problem: { kind: 'event-signature-invalid' },
    });

    writeFileSync(join(dir, 'case.json'), text);
    expect(await ledgerVerify('--bundle', 'case.json', '--key', verifierKey)).toMatchObject({ status: 0 });

    const victim = bundle.entries.find((e) => e.headers['ce_type'] === 'aal.output.acted-on.v1')!;
    const at = text.indexOf(victim.value) + 8;
    writeFileSync(join(dir, 'altered.json'), `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`);
    const altered = await ledgerVerify('--bundle', 'altered.json', '--key', verifierKey);
    expect(altered.status).toBe(1);
    expect(altered.stderr).toMatch(new RegExp(`^ledger-verify: FAILED at seq ${victim.seq} \\(entry-(tampered|malformed)\\)`));
  });

  it('serves a printable, self-contained HTML report with the parties side by side, findings and the verified checkpoint, escaping everything', async () => {
    const res = await raw(`/cases/${caseId}/report`, regulator);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('@media print');
    expect(html).toMatch(/Verified against checkpoint \d+ \(root <span class=hash>[0-9a-f]{64}<\/span>\)/);
    for (const party of ['Vendor', 'Employer', 'Clinical system', 'Investigator']) expect(html).toContain(`<h4>${party} &#8212;`);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain(HOSTILE_RATIONALE);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('closes the case: still readable (and recorded), no one can be added', async () => {
    const closed = await call('POST', `/cases/${caseId}/close`, { caller: lead, body: { reason: 'Report sent to the trust.' } });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect((await call('GET', `/cases/${caseId}`, { caller: regulator })).status).toBe(200);
    const grant = await call('POST', `/cases/${caseId}/investigators`, {
      caller: lead,
      body: { organisationId: stranger.organisationId, personId: stranger.personId },
    });
    expect(grant.body.code).toBe('CASE.CLOSED');
    await caseEvents('aal.case.closed.v1', (e) => e.length === 1);
  });

  it('refuses a case about both an incident and outputs, one about nothing, and one naming an output the ledger does not hold', async () => {
    const both = await call('POST', '/cases', {
      caller: lead,
      body: { title: 'x', incidentId: scenario.ids.incidentId, outputIds: [scenario.ids.outputId] },
    });
    expect(both.body.code).toBe('CASE.SCOPE_INVALID');
    expect((await call('POST', '/cases', { caller: lead, body: { title: 'x' } })).body.code).toBe('CASE.SCOPE_INVALID');
    // Whose records an unknown output is cannot be told, so no mandate can be checked for it.
    const unknown = await call('POST', '/cases', {
      caller: lead,
      body: { title: 'Two outputs', outputIds: [scenario.ids.outputId, 'out-unknown-to-ledger'] },
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'OUTPUT.NOT_FOUND' } });
    // The referred incident's output, named directly, is covered by the same referral.
    const outputs = await call('POST', '/cases', { caller: lead, body: { title: 'One output', outputIds: [scenario.ids.outputId] } });
    expect(outputs.status).toBe(201);
    const timeline = await call('GET', `/cases/${outputs.body.caseId}/timeline`, { caller: lead });
    expect(timeline.body.outputIds).toEqual([scenario.ids.outputId]);
  });

  async function ledgerVerify(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const { io, stdout, stderr } = capturedIo(dir);
    const status = await runCli(args, io);
    return { status, stdout: stdout(), stderr: stderr() };
  }
});

function randomCase(): string {
  return '00000000-0000-4000-8000-000000000000';
}
