import type { CloudEvent } from '@aal/contracts';
import { eventually, tokenFor } from '@aal/testing';
import { EXIT, runLedgerCli } from '../../cli/ledger-cli';
import { capturedIo } from '../../testing/captured-io';
import { TestLedger } from '../../testing/test-ledger';
import { deploymentChain, incidentAbout, trainingOf, weekOfOutputs } from '../testing/oversight-scenario';

// Time to check, through the public API, on real Kafka and PostgreSQL. Three deployments of
// st-swithins over four ISO weeks from 2026-10-05:
// - advisory (60 s minimum): volume per nurse rises each week while review time falls below the minimum;
//   its outputs name their service (Acute medicine, then Respiratory in the last week);
// - mandatory, only one of four nurses trained; review times well above the minimum;
// - mandatory, every nurse trained; review times well above the minimum: no finding at all.

const admin = { organisationId: 'st-swithins', personId: 'psn_empadmin0001', role: 'employer-admin' };
const approver = { organisationId: 'st-swithins', personId: 'psn_cso000000001', role: 'employer-approver' };
const otherApprover = { organisationId: 'other-hospital', personId: 'psn_oh_cso000001', role: 'employer-approver' };
const ownInvestigator = { organisationId: 'st-swithins', personId: 'psn_sw_invest0001', role: 'investigator' };
const otherInvestigator = { organisationId: 'st-swithins', personId: 'psn_sw_invest0002', role: 'investigator' };
const clinicalSystem = { organisationId: 'st-swithins', personId: 'psn_eprsystem001', role: 'clinical-system' };
const PERIOD = 'from=2026-10-05&to=2026-11-01&bucket=week';

describe('ledger API: GET /deployments/{id}/oversight', () => {
  let ledger: TestLedger;
  const rising = deploymentChain('advisory');
  const untrained = deploymentChain('mandatory');
  const trained = deploymentChain('mandatory');
  const risingWeeks = [
    weekOfOutputs(rising.ids, 0, 30, 5, 90, 'Acute medicine'),
    weekOfOutputs(rising.ids, 1, 40, 5, 80, 'Acute medicine'),
    weekOfOutputs(rising.ids, 2, 50, 5, 50, 'Acute medicine'),
    weekOfOutputs(rising.ids, 3, 60, 5, 40, 'Respiratory'),
  ];
  const incident = incidentAbout(risingWeeks[1]!.outputIds.slice(0, 2), '2026-10-14T12:00:00Z');
  const firstPart: CloudEvent<unknown>[] = [
    ...rising.events,
    ...risingWeeks[0]!.events,
    ...risingWeeks[1]!.events,
    incident,
    ...untrained.events,
    ...weekOfOutputs(untrained.ids, 0, 25, 4, 120).events,
    ...trained.events,
    trainingOf(trained.ids, 2),
    trainingOf(trained.ids, 3),
    trainingOf(trained.ids, 4),
    ...weekOfOutputs(trained.ids, 0, 25, 4, 120).events,
  ];
  const secondPart = [...risingWeeks[2]!.events, ...risingWeeks[3]!.events];
  let auditorAll: string;
  let auditorOther: string;
  /** The rising deployment's answer once only the first part was in the log. */
  let early: any;

  const get = (path: string, caller: object = admin) => ledger.call('GET', path, { caller: caller as never });
  const getWith = async (path: string, token: string) => {
    const res = await fetch(`${ledger.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const oversight = (deploymentId: string, query = PERIOD) => `/deployments/${deploymentId}/oversight?${query}`;
  /** Waits until the oversight projection holds `entries` entries, and answers. */
  const projected = (deploymentId: string, entries: number) =>
    eventually(
      () => get(oversight(deploymentId)),
      (r) => r.status === 200 && r.body.knownAt.seq >= entries - 1,
      60000,
      `${entries} entries projected`,
    ).then((r) => r.body);

  beforeAll(async () => {
    ledger = await TestLedger.start('oversight-api');
    auditorAll = await tokenFor(
      { organisationId: 'national-audit', personId: 'psn_auditor00001', role: 'auditor' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    auditorOther = await tokenFor({ organisationId: 'national-audit', personId: 'psn_auditor00002', role: 'auditor' });
    await ledger.publish(firstPart);
    early = await projected(rising.ids.deploymentId, firstPart.length);
    await ledger.publish(secondPart);
    await projected(rising.ids.deploymentId, firstPart.length + secondPart.length);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('answers per ISO week: outputs, professionals, review time against the minimum, shares and incidents', async () => {
    const { status, body } = await get(oversight(rising.ids.deploymentId));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      deploymentId: rising.ids.deploymentId,
      from: '2026-10-05',
      to: '2026-11-01',
      bucket: 'week',
      site: null,
      role: null,
      asOf: null,
      knownAt: { seq: firstPart.length + secondPart.length - 1, source: 'latest' },
      policyMinimumReviewSeconds: 60,
      basis: { checkpoint: expect.objectContaining({ treeSize: expect.any(Number) }), deploymentSeqs: expect.any(Array) },
    });
    expect(body.buckets).toEqual([
      bucket('2026-10-05', '2026-10-12', 30, 6, 90, 0, 0),
      bucket('2026-10-12', '2026-10-19', 40, 8, 80, 0, 1),
      bucket('2026-10-19', '2026-10-26', 50, 10, 50, 1, 0),
      bucket('2026-10-26', '2026-11-02', 60, 12, 40, 1, 0),
    ]);
  });

  it('finds review time below the minimum in weeks 3 and 4, and review time falling while volume rises over the four weeks', async () => {
    const { body } = await get(oversight(rising.ids.deploymentId));
    expect(body.findings.map((f: any) => f.code)).toEqual([
      'OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE',
      'OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE',
      'OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES',
    ]);
    const trend = body.findings[2];
    expect(trend.evidence.figures).toEqual({
      reviewSecondsP50: [90, 80, 50, 40],
      outputsPerProfessional: [6, 8, 10, 12],
      minimumReviewSeconds: [60, 60, 60, 60],
    });
    // The evidence re-runs: the query gives the same buckets, the export lists the counted entries' seqs.
    const rerun = await get(body.findings[0].evidence.query);
    expect(rerun.status).toBe(200);
    expect(rerun.body.buckets).toEqual([body.buckets[2]]);
    const entries = await get(body.findings[0].evidence.entries);
    expect(entries.body).toMatchObject({ deploymentId: rising.ids.deploymentId });
    expect(entries.status).toBe(200);
    expect(entries.body.outputs).toHaveLength(50);
    expect(entries.body.actions).toHaveLength(50);
    expect(entries.body.policies).toEqual(body.findings[0].evidence.seqs);
  });

  it('finds mandatory use with most professionals untrained, and nothing for the deployment whose professionals are trained', async () => {
    const without = (await get(oversight(untrained.ids.deploymentId))).body;
    expect(without.findings.map((f: any) => f.code)).toEqual(['OVERSIGHT.MANDATORY_USE_WITHOUT_TRAINING']);
    expect(without.findings[0].evidence.figures).toEqual({
      professionalsUnderMandatoryUse: 4,
      withoutTraining: 3,
      shareWithoutTraining: 0.75,
    });
    expect(without.findings[0].details.professionalsWithoutTraining).toEqual(['psn_nurse0000002', 'psn_nurse0000003', 'psn_nurse0000004']);
    const withTraining = (await get(oversight(trained.ids.deploymentId))).body;
    expect(withTraining.buckets[0]).toMatchObject({ actions: 25, activeProfessionals: 4, shareBelowMinimum: 0 });
    expect(withTraining.findings).toEqual([]);
  });

  it('counts only what the ledger knew at knownAt (a seq or a time), from the projection kept per recorded day', async () => {
    const seq = early.knownAt.seq;
    for (const knownAt of [String(seq), encodeURIComponent(early.knownAt.recordedAt)]) {
      const { status, body } = await get(oversight(rising.ids.deploymentId, `${PERIOD}&knownAt=${knownAt}`));
      expect(status).toBe(200);
      expect(body.knownAt).toEqual({ seq, recordedAt: early.knownAt.recordedAt, source: 'requested' });
      expect(body.buckets).toEqual(early.buckets);
      expect(body.findings).toEqual(early.findings);
      expect(body.basis.entriesCounted).toBeGreaterThan(0);
    }
    expect(early.buckets.map((b: any) => b.actions)).toEqual([30, 40, 0, 0]);
    expect(early.findings).toEqual([]);
  });

  it('counts only what happened by asOf, and narrows to a site or a role', async () => {
    const { body } = await get(oversight(rising.ids.deploymentId, `${PERIOD}&asOf=2026-10-19T00:00:00Z`));
    expect(body.asOf).toBe('2026-10-19T00:00:00.000Z');
    expect(body.buckets.map((b: any) => b.actions)).toEqual([30, 40, 0, 0]);
    const midWeek = (await get(oversight(rising.ids.deploymentId, `${PERIOD}&asOf=2026-10-21T12:00:00Z`))).body;
    // Days 19 and 20 in full, and the outputs of the 21st acted on by noon (all seven of them).
    expect(midWeek.buckets[2].actions).toBe(8 + 7 + 7);
    const doctors = (await get(oversight(rising.ids.deploymentId, `${PERIOD}&role=doctor`))).body;
    expect(doctors.buckets.map((b: any) => [b.outputs, b.actions])).toEqual([
      [30, 0],
      [40, 0],
      [50, 0],
      [60, 0],
    ]);
    const otherWard = (await get(oversight(rising.ids.deploymentId, `${PERIOD}&site=ward-7b`))).body;
    expect(otherWard.buckets.every((b: any) => b.outputs === 0 && b.actions === 0)).toBe(true);
    const days = (await get(oversight(rising.ids.deploymentId, 'from=2026-10-05&to=2026-10-11&bucket=day'))).body;
    expect(days.buckets.map((b: any) => b.actions)).toEqual([5, 5, 4, 4, 4, 4, 4]);
  });

  it('says in which sites, services and roles the deployment was used, counting outputs that name no service apart', async () => {
    const { body } = await get(oversight(rising.ids.deploymentId));
    expect(body.usage).toEqual({
      sites: [{ site: 'ward-7a', outputs: 180, actions: 180 }],
      services: [
        { service: 'Acute medicine', outputs: 120, actions: 120 },
        { service: 'Respiratory', outputs: 60, actions: 60 },
      ],
      serviceNotStated: { outputs: 0, actions: 0 },
      roles: [{ role: 'staff-nurse', actions: 180, professionals: 5 }],
    });
    // The two clocks narrow it as they narrow the buckets.
    expect(early.usage.services).toEqual([{ service: 'Acute medicine', outputs: 70, actions: 70 }]);
    const midWeek = (await get(oversight(rising.ids.deploymentId, `${PERIOD}&asOf=2026-10-26T12:00:00Z`))).body;
    expect(midWeek.usage.services).toEqual([
      { service: 'Acute medicine', outputs: 120, actions: 120 },
      { service: 'Respiratory', outputs: 9, actions: 9 },
    ]);
    // The untrained deployment's outputs (output.generated without `service`) name none.
    const untold = (await get(oversight(untrained.ids.deploymentId))).body.usage;
    expect(untold.services).toEqual([]);
    expect(untold.serviceNotStated).toEqual({ outputs: 25, actions: 25 });
  });

  it("shows an output's week beside its accountability answer, marked as not part of the proven answer", async () => {
    const outputId = risingWeeks[2]!.outputIds[3];
    const res = await getWith(`/outputs/${outputId}/accountability`, auditorAll);
    expect(res.status).toBe(200);
    const weekly = (await get(oversight(rising.ids.deploymentId))).body;
    expect(res.body.oversightContext).toEqual({
      proven: false,
      deploymentId: rising.ids.deploymentId,
      site: 'ward-7a',
      knownAt: res.body.knownAt.seq,
      week: weekly.buckets[2],
      query: `/deployments/${rising.ids.deploymentId}/oversight?from=2026-10-22&to=2026-10-22&bucket=week&site=ward-7a&knownAt=${res.body.knownAt.seq}`,
    });
    expect((await get(res.body.oversightContext.query)).body.buckets).toEqual([weekly.buckets[2]]);
  });

  it('refuses bad parameters with a problem naming each one', async () => {
    const bad = await get(oversight(rising.ids.deploymentId, 'bucket=month&from=2026-13-01&colour=red'));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.code).toBe('REQUEST.INVALID');
    expect(bad.body.errors.map((e: any) => e.pointer).sort()).toEqual(expect.arrayContaining(['/bucket', '/from']));
    const backwards = await get(oversight(rising.ids.deploymentId, 'from=2026-11-01&to=2026-10-01'));
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ pointer: '/from', rule: 'range', detail: '/from must not be after to (2026-10-01)' }]);
    const tooLong = await get(oversight(rising.ids.deploymentId, 'from=2024-01-01&to=2026-10-01'));
    expect(tooLong.body.errors[0].pointer).toBe('/to');
    const unknown = await get('/deployments/00000000-0000-4000-8000-000000000000/oversight');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('DEPLOYMENT.NOT_FOUND');
    const notUuid = await get('/deployments/not-a-uuid/oversight');
    expect(notUuid.status).toBe(400);
  });

  it("admits the employer's own approvers and admins and auditors, and no one else", async () => {
    const path = oversight(rising.ids.deploymentId);
    expect((await get(path, admin)).status).toBe(200);
    expect((await get(path, approver)).status).toBe(200);
    const foreign = await get(path, otherApprover);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('AUTH.OTHER_ORGANISATION');
    expect((await getWith(path, auditorAll)).status).toBe(200);
    expect((await getWith(path, auditorOther)).body.code).toBe('AUTH.OTHER_ORGANISATION');
    expect((await get(path, clinicalSystem)).status).toBe(403);
    expect((await get(path, ownInvestigator)).status).toBe(403);
    expect((await get(`${path.replace('/oversight?', '/oversight/entries?')}`, otherApprover)).status).toBe(403);
    expect((await ledger.call('GET', path)).status).toBe(401);
  });

  it("lets investigators read it through an open case about one of the deployment's outputs, recording the read", async () => {
    await ledger.checkpoint((size) => size >= firstPart.length + secondPart.length, 'a checkpoint of the scenario');
    const opened = await ledger.call('POST', '/cases', {
      caller: ownInvestigator as never,
      body: { title: 'Review times on ward 7A', outputIds: [risingWeeks[3]!.outputIds[0]] },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId;
    const path = `/cases/${caseId}/deployments/${rising.ids.deploymentId}/oversight?${PERIOD}`;
    const read = await get(path, ownInvestigator);
    expect(read.status).toBe(200);
    expect(read.body.buckets).toEqual((await get(oversight(rising.ids.deploymentId))).body.buckets);
    expect(read.body.findings[0].evidence.query).toMatch(
      new RegExp(`^/cases/${caseId}/deployments/${rising.ids.deploymentId}/oversight\\?`),
    );
    expect((await get(read.body.findings[0].evidence.query, ownInvestigator)).status).toBe(200);
    expect((await get(read.body.findings[0].evidence.entries, ownInvestigator)).body.actions).toHaveLength(50);
    const outside = await get(`/cases/${caseId}/deployments/${untrained.ids.deploymentId}/oversight`, ownInvestigator);
    expect(outside.status).toBe(404);
    expect(outside.body.code).toBe('CASE.DEPLOYMENT_NOT_IN_CASE');
    const stranger = await get(path, otherInvestigator);
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('CASE.ACCESS_DENIED');
    const reads = await eventually(
      () =>
        ledger.asAdmin(async (client) =>
          (
            await client.query("SELECT convert_from(value, 'UTF8')::jsonb AS data FROM ledger.entries WHERE type = 'aal.case.read.v1'")
          ).rows.map((r) => r.data),
        ),
      (rows) => rows.some((d) => d.caseId === caseId && d.view === 'oversight'),
      30000,
      'the oversight read recorded in the log',
    );
    expect(reads.find((d) => d.view === 'oversight')).toMatchObject({ caseId, view: 'oversight', deploymentId: rising.ids.deploymentId });
    expect((await ledger.call('POST', `/cases/${caseId}/close`, { caller: ownInvestigator as never, body: {} })).status).toBe(200);
    const closed = await get(path, ownInvestigator);
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('CASE.CLOSED');
  });

  it('gives the same answer after the projection is dropped and rebuilt from the log by `ledger rebuild`', async () => {
    const question = `${PERIOD}&knownAt=${firstPart.length + secondPart.length - 1}`;
    const before = await get(oversight(rising.ids.deploymentId, question));
    await ledger.asAdmin((client) =>
      client.query(
        "TRUNCATE ledger.oversight_cells, ledger.oversight_weeks, ledger.oversight_people, ledger.oversight_actions, ledger.oversight_outputs, ledger.oversight_incidents, ledger.oversight_pending; DELETE FROM ledger.projection_positions WHERE projection = 'oversight'",
      ),
    );
    const damaged = await get(oversight(rising.ids.deploymentId, question));
    expect(damaged.status).not.toBe(200);
    const { io, stdout, stderr } = capturedIo(process.cwd());
    const status = await runLedgerCli(['rebuild', '--json'], {
      ...io,
      env: { DATABASE_URL: ledger.db.adminUrl, DATABASE_APP_PASSWORD: ledger.db.settings.appPassword },
    });
    expect(stderr()).toBe('');
    expect(status).toBe(EXIT.ok);
    const summaries = stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(summaries.map((s) => s.projection)).toEqual(['facts', 'oversight']);
    const after = await get(oversight(rising.ids.deploymentId, question));
    expect(after.status).toBe(200);
    expect({ ...after.body, basis: { ...after.body.basis, checkpoint: null } }).toEqual({
      ...before.body,
      basis: { ...before.body.basis, checkpoint: null },
    });
  });
});

/** The rising deployment's week: every review time `seconds`, 5 nurses, all accepted. */
function bucket(start: string, end: string, n: number, perProfessional: number, seconds: number, below: number, incidents: number) {
  return {
    start: `${start}T00:00:00.000Z`,
    end: `${end}T00:00:00.000Z`,
    outputs: n,
    actions: n,
    activeProfessionals: 5,
    outputsPerProfessional: perProfessional,
    reviewSeconds: { p50: seconds, p90: seconds },
    minimumReviewSeconds: 60,
    minimumVaries: false,
    shareBelowMinimum: below,
    shareAcceptedUnchanged: 1,
    shareOverridden: 0,
    incidents,
  };
}
