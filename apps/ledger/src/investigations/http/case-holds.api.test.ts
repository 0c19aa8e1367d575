import { subjectOf } from '@aal/contracts';
import { urlForRole } from '@aal/database';
import { Metrics, RetentionJob, retentionSettingsFromEnv, systemClock } from '@aal/service-kit';
import { parseVerifierKey, verifierKeyString } from '@aal/ledger-core';
import { eventually, type httpClient, testCheckpointSettings } from '@aal/testing';
import { verifyCaseBundle } from '@aal/verifier';
import { Client } from 'pg';
import { LEDGER_SCHEMA } from '../../database/ledger.schema';
import { TestLedger } from '../../testing/test-ledger';
import { HeldSubjectsQuery } from '../application/held-subjects.query';
import { incidentScenario, investigators, referIncident } from '../testing/case-scenario';

// Legal holds through the public API, and the ledger's retention job honouring them on a real
// PostgreSQL: a held case's rows are kept past their period, and purged once the hold is lifted.

const { lead, regulator, stranger } = investigators;
const DAY = 86_400_000;

describe('ledger API: legal holds on a case', () => {
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  let admin: Client;
  let caseId: string;
  const scenario = incidentScenario();
  const origin = 'holds.test/aal';
  const keys = testCheckpointSettings(origin);
  const verifierKey = parseVerifierKey(verifierKeyString(keys.settings.signer.name, keys.settings.signer.publicKey));
  const hold = (id: string, caller: (typeof investigators)[keyof typeof investigators], body: unknown, lift = false) =>
    call('POST', `/cases/${id}/hold${lift ? '/lift' : ''}`, { caller, body });

  beforeAll(async () => {
    ledger = await TestLedger.start('holds-test', { checkpoints: keys.settings });
    call = ledger.call;
    admin = new Client({ connectionString: ledger.db.adminUrl });
    await admin.connect();
    await ledger.publish(scenario.events);
    await ledger.checkpoint((treeSize) => treeSize >= scenario.events.length, 'a checkpoint of the scenario', 30000);
    expect((await referIncident(call, scenario.ids.incidentId, 'Referral SW-2026-118')).status).toBe(201);
    const opened = await call('POST', '/cases', { caller: lead, body: { title: 'Frozen case', incidentId: scenario.ids.incidentId } });
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    expect(
      (
        await call('POST', `/cases/${caseId}/investigators`, {
          caller: lead,
          body: { organisationId: regulator.organisationId, personId: regulator.personId },
        })
      ).status,
    ).toBe(200);
  });

  afterAll(async () => {
    await admin?.end();
    await ledger?.stop();
  });

  /** The ledger's retention job, as the ledger's login role, asking the ledger what is under hold. */
  const retention = () =>
    new RetentionJob({
      schema: LEDGER_SCHEMA,
      connectionString: urlForRole(ledger.db.adminUrl, LEDGER_SCHEMA.appRole, ledger.db.settings.appPassword),
      settings: retentionSettingsFromEnv(LEDGER_SCHEMA, {}),
      clock: systemClock,
      metrics: new Metrics('ledger'),
      heldSubjects: () => ledger.app.get(HeldSubjectsQuery).subjects(),
    });
  const rejection = (offset: number, subject: string) =>
    admin.query(
      `INSERT INTO ledger.rejections (kafka_topic, kafka_partition, kafka_offset, reason, headers, rejected_at)
       VALUES ('holds-test', 0, $1, 'schema invalid', $2, $3)`,
      [offset, JSON.stringify({ ce_subject: subject }), new Date(Date.now() - 400 * DAY)],
    );
  const rejectionsLeft = async () =>
    (
      await admin.query<{ kafka_offset: string }>("SELECT kafka_offset FROM ledger.rejections WHERE kafka_topic = 'holds-test' ORDER BY 1")
    ).rows.map((r) => Number(r.kafka_offset));

  it('places a hold: the case shows who, when and why, and case.hold-placed reaches the log', async () => {
    const placed = await hold(caseId, lead, { reason: 'Inquest ref. CO-2026-441' });
    expect(placed.status).toBe(200);
    expect(placed.body.hold).toMatchObject({ placedBy: lead, reason: 'Inquest ref. CO-2026-441', placedAt: expect.any(String) });
    const entries = await eventually(
      async () =>
        (await call('GET', `/cases/${caseId}/timeline`, { caller: lead })).body.entries as Array<{ eventType: string; summary: string }>,
      (e) => e.some((x) => x.eventType === 'aal.case.hold-placed.v1'),
      30000,
      'case.hold-placed in the log',
    );
    expect(entries.find((x) => x.eventType === 'aal.case.hold-placed.v1')!.summary).toContain('placed a legal hold on case');
  });

  it('refuses bad hold requests with RFC 9457 problems: unknown case, not an investigator, no reason, a second hold, a lift by another organisation', async () => {
    const unknown = await hold('00000000-0000-4000-8000-000000000000', lead, { reason: 'x' });
    expect(unknown).toMatchObject({
      status: 404,
      body: { code: 'CASE.NOT_FOUND', status: 404, title: expect.any(String), detail: expect.any(String) },
    });
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(await hold(caseId, stranger, { reason: 'x' })).toMatchObject({ status: 403, body: { code: 'CASE.ACCESS_DENIED' } });
    const noReason = await hold(caseId, lead, {}, true);
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    expect(await hold(caseId, lead, { reason: 'x', extra: 1 })).toMatchObject({ status: 400 });
    expect(await hold(caseId, regulator, { reason: 'Second' })).toMatchObject({ status: 409, body: { code: 'CASE.HOLD_IN_FORCE' } });
    expect(await hold(caseId, regulator, { reason: 'Not ours to lift' }, true)).toMatchObject({
      status: 403,
      body: { code: 'CASE.HOLD_NOT_THEIRS', detail: expect.stringContaining('only an investigator of hsib may') },
    });
  });

  it('the export records the hold from its own entries: the report and the offline verifier show it in force', async () => {
    const bundle = await eventually(
      async () => (await call('GET', `/cases/${caseId}/export`, { caller: lead })).body,
      (b) => (b.report?.html as string | undefined)?.includes('IN FORCE since') === true,
      30000,
      'an export whose entries hold case.hold-placed',
    );
    expect(bundle.case.hold).toMatchObject({ placedBy: lead, reason: 'Inquest ref. CO-2026-441' });
    expect(verifyCaseBundle(bundle, { key: verifierKey, origin })).toMatchObject({
      ok: true,
      holds: [{ placedBy: lead, reason: 'Inquest ref. CO-2026-441' }],
    });
    expect(bundle.report.html).toMatch(
      /<dt>legal hold<\/dt><dd>IN FORCE since [^<]+, placed by psn_investigator01 \(hsib\) \(Inquest ref. CO-2026-441\)/,
    );
  });

  it("keeps the held case's rows past their period while unheld ones are purged; once lifted, purges them too", async () => {
    await rejection(1, subjectOf('output', scenario.ids.outputId));
    await rejection(2, subjectOf('case', caseId));
    await rejection(3, subjectOf('output', 'out-no-case-holds-this'));
    await rejection(4, subjectOf('deployment', scenario.ids.deploymentId));
    // The case's own events, published long ago: copies once in the log, but the case is held.
    await eventually(
      async () =>
        (
          await admin.query("SELECT count(*)::int AS n FROM ledger.outbox WHERE published_at IS NOT NULL AND headers->>'ce_subject' = $1", [
            subjectOf('case', caseId),
          ])
        ).rows[0].n as number,
      (n) => n >= 3,
      30000,
      "the case's events published",
    );
    await admin.query("UPDATE ledger.outbox SET published_at = now() - interval '60 days' WHERE headers->>'ce_subject' = $1", [
      subjectOf('case', caseId),
    ]);
    const caseOutboxRows = async () =>
      (await admin.query("SELECT count(*)::int AS n FROM ledger.outbox WHERE headers->>'ce_subject' = $1", [subjectOf('case', caseId)]))
        .rows[0].n as number;
    const before = await caseOutboxRows();

    const held = await retention().runOnce();
    expect(held.find((o) => o.table === 'rejections')!.purged).toBe(1);
    expect(await rejectionsLeft()).toEqual([1, 2, 4]);
    expect(await caseOutboxRows()).toBe(before);

    const lifted = await hold(caseId, lead, { reason: 'Inquest concluded' }, true);
    expect(lifted.status).toBe(200);
    expect(lifted.body).not.toHaveProperty('hold');
    expect(await hold(caseId, lead, { reason: 'again' }, true)).toMatchObject({ status: 409, body: { code: 'CASE.NO_HOLD' } });

    await retention().runOnce();
    expect(await rejectionsLeft()).toEqual([]);
    // Rows of events the log holds are gone; the lift's own event is newer than the period.
    expect(await caseOutboxRows()).toBeLessThan(before);
  });
});
