import { parseVerifierKey, verifierKeyString } from '@aal/ledger-core';
import { actors, eventually, testCheckpointSettings, tokenFor, type httpClient } from '@aal/testing';
import { verifyCaseBundle, type CaseBundle } from '@aal/verifier';
import { randomUUID } from 'node:crypto';
import { TestLedger } from '../../testing/test-ledger';
import { incidentScenario, investigators, referIncident, whenKnown } from '../testing/case-scenario';

// Safety recommendations through the ledger's public API, against real Kafka and PostgreSQL: the
// recommendation events go outbox → the ledger's topic → intake → log, and every answer about
// them is computed from the log, so each assertion on an answer waits for the log.

const { lead, stranger } = investigators;
const vendorOfficer = { organisationId: 'acme-ai', personId: 'psn_acmesafety01', role: 'vendor-safety-officer' };
const { employerAdmin, vendorAdmin } = actors;
const origin = 'recommendations.test/aal';
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

type Answer = {
  recommendations: Array<{ recommendationId: string; status: string }>;
  findings: Array<{ code: string; details: any; evidence: number[] }>;
};

describe('ledger API: safety recommendations', () => {
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  const keys = testCheckpointSettings(origin, { minIntervalMs: 50, idleIntervalMs: 200 });
  const first = incidentScenario();
  const second = incidentScenario();
  // The finding both cases' recommendations link, on one version (the link is the investigator's statement): a recurring pattern.
  const onVersion = { findingCodes: ['ACTION.OVERRIDDEN'], versionId: randomUUID() };
  let caseA: string;
  let caseB: string;

  const openCase = async (scenario: ReturnType<typeof incidentScenario>, title: string) => {
    expect((await referIncident(call, scenario.ids.incidentId, `Referral ${title}`)).status).toBe(201);
    const opened = await whenKnown(() => call('POST', '/cases', { caller: lead, body: { title, incidentId: scenario.ids.incidentId } }));
    expect(opened.status).toBe(201);
    return opened.body.caseId as string;
  };
  const recommend = (caseId: string, body: Record<string, unknown>) =>
    call('POST', `/cases/${caseId}/recommendations`, {
      caller: lead,
      body: { addressee: { party: 'vendor', organisationId: 'acme-ai' }, recommendation: 'Show the threshold.', dueBy: hours(1), ...body },
    });
  /** The case's recommendations as `caller` reads them at `asOf`, once the log holds what `until` waits for. */
  const read = (caseId: string, until: (a: Answer) => boolean, asOf = hours(2), caller: object = lead) =>
    eventually(
      async () =>
        (await call('GET', `/cases/${caseId}/recommendations?asOf=${encodeURIComponent(asOf)}`, { caller: caller as never }))
          .body as Answer,
      until,
      30000,
      'the recommendations in the log',
    );
  const codes = (a: Answer) => a.findings.map((f) => f.code);

  beforeAll(async () => {
    ledger = await TestLedger.start('recommendations-test', { checkpoints: keys.settings });
    call = ledger.call;
    await ledger.publish([...first.events, ...second.events]);
    await ledger.checkpoint((size) => size >= first.events.length + second.events.length, 'a checkpoint of both incidents', 30000);
    caseA = await openCase(first, 'Escalated sepsis alert, ward 7A');
    caseB = await openCase(second, 'Overridden sepsis alert, ward 7B');
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('refuses bad input with problem details naming what is wrong', async () => {
    const unknownCase = await recommend(randomUUID(), {});
    expect([unknownCase.status, unknownCase.body.code]).toEqual([404, 'CASE.NOT_FOUND']);
    const past = await recommend(caseA, { dueBy: hours(-1) });
    expect([past.status, past.body.code]).toEqual([400, 'RECOMMENDATION.DUE_IN_PAST']);
    expect(past.body).toMatchObject({ type: expect.any(String), title: expect.any(String), detail: expect.stringContaining('dueBy') });
    const code = await recommend(caseA, { arisesFrom: { findingCodes: ['ACTION.TOO_FAST'], versionId: onVersion.versionId } });
    expect([code.status, code.body.code]).toEqual([400, 'RECOMMENDATION.UNKNOWN_FINDING_CODE']);
    const party = await recommend(caseA, { addressee: { party: 'coroner', organisationId: 'acme-ai' } });
    expect([party.status, party.body.code]).toEqual([400, 'REQUEST.INVALID']);
    const outsider = await call('POST', `/cases/${caseA}/recommendations`, {
      caller: stranger,
      body: { addressee: { party: 'vendor', organisationId: 'acme-ai' }, recommendation: 'x', dueBy: hours(1) },
    });
    expect([outsider.status, outsider.body.code]).toEqual([403, 'CASE.ACCESS_DENIED']);
    const unknownRecommendation = await call('POST', `/cases/${caseA}/recommendations/${randomUUID()}/responses`, {
      caller: vendorOfficer,
      body: { response: 'accepted', plan: 'x' },
    });
    expect([unknownRecommendation.status, unknownRecommendation.body.code]).toEqual([404, 'RECOMMENDATION.NOT_FOUND']);
  });

  it('RECOMMENDATION.OVERDUE: found for a recommendation only accepted by its due date, not for one completed by it', async () => {
    const late = await recommend(caseA, { recommendation: 'Show the alert threshold beside each score.' });
    const done = await recommend(caseA, {
      addressee: { party: 'employer', organisationId: 'st-swithins' },
      recommendation: 'Give staff time.',
    });
    expect([late.status, done.status]).toEqual([201, 201]);
    const lateId = late.body.recommendationId as string;
    const doneId = done.body.recommendationId as string;

    // Only the addressee, in a role that responds for its capacity, and in order.
    const wrongOrganisation = await call('POST', `/cases/${caseA}/recommendations/${lateId}/responses`, {
      caller: employerAdmin,
      body: { response: 'accepted', plan: 'x' },
    });
    expect([wrongOrganisation.status, wrongOrganisation.body.code]).toEqual([403, 'RECOMMENDATION.NOT_ADDRESSEE']);
    const wrongRole = await call('POST', `/cases/${caseA}/recommendations/${lateId}/responses`, {
      caller: vendorAdmin,
      body: { response: 'accepted', plan: 'x' },
    });
    expect([wrongRole.status, wrongRole.body.code]).toEqual([403, 'AUTH.ROLE_NOT_ALLOWED']);
    const accepted = await call('POST', `/cases/${caseA}/recommendations/${lateId}/responses`, {
      caller: vendorOfficer,
      body: { response: 'accepted', plan: 'Release 2.4 shows it.' },
    });
    expect(accepted.body).toEqual({ caseId: caseA, recommendationId: lateId, status: 'accepted' });
    const completed = await call('POST', `/cases/${caseA}/recommendations/${doneId}/responses`, {
      caller: employerAdmin,
      body: { response: 'completed', reference: 'Rota change RC-118' },
    });
    expect(completed.body.status).toBe('completed');
    const again = await call('POST', `/cases/${caseA}/recommendations/${doneId}/responses`, {
      caller: employerAdmin,
      body: { response: 'rejected', reasons: 'x' },
    });
    expect([again.status, again.body.code]).toEqual([409, 'RECOMMENDATION.CLOSED']);

    const isIn = (a: Answer) =>
      a.recommendations.find((r) => r.recommendationId === lateId)?.status === 'accepted' &&
      a.recommendations.find((r) => r.recommendationId === doneId)?.status === 'completed';
    // Before the due date nothing is overdue; after it, only the one not completed or rejected.
    expect(codes(await read(caseA, isIn, hours(0.5)))).toEqual([]);
    const after = await read(caseA, isIn, hours(2));
    expect(after.findings.filter((f) => f.code === 'RECOMMENDATION.OVERDUE').map((f) => f.details.recommendationId)).toEqual([lateId]);

    // The addressee sees what is addressed to it, and nothing else; a stranger sees nothing.
    const vendorView = await read(caseA, (a) => a.recommendations.length > 0, hours(2), vendorOfficer);
    expect(vendorView.recommendations.map((r) => r.recommendationId)).toEqual([lateId]);
    const employerView = await read(caseA, (a) => a.recommendations.length > 0, hours(2), employerAdmin);
    expect(employerView.recommendations.map((r) => r.recommendationId)).toEqual([doneId]);
    expect((await call('GET', `/cases/${caseA}/recommendations`, { caller: stranger })).body.code).toBe('CASE.ACCESS_DENIED');
  });

  it('PATTERN.RECURRING_FINDING: not found while one incident links the finding on the version, found once a second does', async () => {
    const a = await recommend(caseA, { arisesFrom: onVersion, dueBy: hours(24 * 30) });
    expect(a.status).toBe(201);
    const linked = (id: string) => (x: Answer) => x.recommendations.some((r) => r.recommendationId === id);
    expect(codes(await read(caseA, linked(a.body.recommendationId), hours(0.5)))).not.toContain('PATTERN.RECURRING_FINDING');

    // Another incident's case links the same finding on another version: still no pattern.
    const elsewhere = await recommend(caseB, { arisesFrom: { ...onVersion, versionId: randomUUID() }, dueBy: hours(24 * 30) });
    expect(codes(await read(caseB, linked(elsewhere.body.recommendationId), hours(0.5)))).not.toContain('PATTERN.RECURRING_FINDING');
    expect(codes(await read(caseA, linked(a.body.recommendationId), hours(0.5)))).not.toContain('PATTERN.RECURRING_FINDING');

    const b = await recommend(caseB, { arisesFrom: onVersion, dueBy: hours(24 * 30) });
    const patterns = (x: Answer) => x.findings.filter((f) => f.code === 'PATTERN.RECURRING_FINDING');
    const seen = await read(caseA, (x) => patterns(x).length > 0, hours(0.5));
    expect(patterns(seen).map((f) => f.details)).toEqual([
      {
        findingCode: 'ACTION.OVERRIDDEN',
        on: 'version',
        id: onVersion.versionId,
        occurrences: 2,
        threshold: 2,
        cases: [
          { caseId: caseA, incidentId: first.ids.incidentId },
          { caseId: caseB, incidentId: second.ids.incidentId },
        ],
      },
    ]);
    expect(patterns(await read(caseB, linked(b.body.recommendationId), hours(0.5)))).toHaveLength(1);
  });

  it('the case export states the recommendations, the report shows them, and the verifier recomputes them from the proven entries', async () => {
    const res = await fetch(`${ledger.baseUrl}/cases/${caseA}/export`, {
      headers: { authorization: `Bearer ${await tokenFor(lead)}` },
    });
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as CaseBundle & { recommendations: Answer & { asOf: string } };
    expect(bundle.recommendations.asOf).toBe(bundle.exportedAt);
    expect(bundle.recommendations.recommendations.length).toBeGreaterThanOrEqual(3);
    expect(codes(bundle.recommendations)).toContain('PATTERN.RECURRING_FINDING');
    expect(bundle.report.html).toContain('<h2>Safety recommendations</h2>');
    const settings = { key: parseVerifierKey(verifierKeyString(keys.settings.signer.name, keys.settings.signer.publicKey)), origin };
    expect(verifyCaseBundle(bundle, settings)).toMatchObject({ ok: true });

    const tampered = JSON.parse(JSON.stringify(bundle));
    tampered.recommendations.recommendations[0].status = 'completed';
    expect(verifyCaseBundle(tampered, settings)).toMatchObject({
      ok: false,
      problem: { kind: 'recommendations-differ', evidence: { pointer: '/recommendations/recommendations/0/status' } },
    });
  });

  it('refuses a recommendation on a closed case, and still takes the responses to those recorded before', async () => {
    const before = await recommend(caseB, { recommendation: 'Publish the known limitation.' });
    expect((await call('POST', `/cases/${caseB}/close`, { caller: lead, body: {} })).status).toBe(200);
    const closed = await recommend(caseB, {});
    expect([closed.status, closed.body.code]).toEqual([409, 'CASE.CLOSED']);
    const rejected = await call('POST', `/cases/${caseB}/recommendations/${before.body.recommendationId}/responses`, {
      caller: vendorOfficer,
      body: { response: 'rejected', reasons: 'The limitation is already in the instructions for use.' },
    });
    expect(rejected.body.status).toBe('rejected');
  });
});
