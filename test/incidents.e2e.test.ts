import { eventually, type HttpResult } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { ok, people, seedChain, startFourServices, type ChainIds, type FourServices } from './support/four-services';

// Issue #15, part 3, end to end: a deployer classifies an incident and informs the provider, the
// provider records its awareness and its reports, through the incidents service's API; the events
// reach the ledger through Kafka, signed, and the ledger's reporting clock
// (GET /incidents/{incidentId}/reporting-clock) computes the deadlines from the rule table and
// derives each finding in one story that produces it and one that must not.

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('incidents reach the ledger, which computes their reporting clocks and finds notices and reports late or missing', () => {
  let services: FourServices;
  let ids: ChainIds;
  beforeAll(async () => {
    services = await startFourServices('incidents-e2e');
    ids = await seedChain(services.call);
  });
  afterAll(async () => {
    await services?.close();
  });

  const incidents = (...args: Parameters<FourServices['call']['incidents']>) => services.call.incidents(...args);
  const classify = async (body: Record<string, unknown>): Promise<string> => {
    // The incidents service learns the deployment from Kafka: retry while it is in flight.
    const res = await eventually(
      () =>
        incidents('POST', '/incidents', {
          caller: people.approverA,
          body: { deploymentId: ids.deploymentId, harmReference: 'LFPSE W-2026-1182', ...body },
        }),
      (r) => r.status !== 422,
      30000,
      'the incidents service to know the deployment',
    );
    if (res.status !== 201) throw new Error(`classification answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.incidentId;
  };
  const inform = (incidentId: string) =>
    ok(
      incidents('POST', `/incidents/${incidentId}/provider-notices`, {
        caller: people.approverA,
        body: { reference: 'Email to vigilance, SW-INC-118' },
      }),
    );
  const aware = (incidentId: string, awareAt: string) =>
    ok(incidents('POST', `/incidents/${incidentId}/provider-awareness`, { caller: people.vendorSafetyA, body: { awareAt } }));
  const report = (incidentId: string, authority: string) =>
    ok(
      incidents('POST', `/incidents/${incidentId}/authority-reports`, {
        caller: people.vendorSafetyA,
        body: { authority, reference: `${authority} ref 2026/0042` },
      }),
    );
  /** The ledger's clock once it holds `events` entries of the incident made by `asOf` (0: once it answers; call after one that waited). */
  const clock = (incidentId: string, events: number, asOf?: string) =>
    eventually(
      () =>
        services.call.ledger('GET', `/incidents/${incidentId}/reporting-clock${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`, {
          caller: people.auditorA,
        }),
      (r) =>
        r.status === 200 &&
        1 + (r.body.providerNotice ? 1 : 0) + (r.body.providerAware?.from === 'provider-record' ? 1 : 0) + r.body.authorityReports.length >=
          events,
      30000,
      `the ledger's clock for incident ${incidentId}`,
    );
  const codes = (r: HttpResult) => (r.body.findings as Array<{ code: string }>).map((f) => f.code);

  it('on time: the provider informed within the deployer’s hours and both reports made before their deadlines give no finding, now or later', async () => {
    const awareAt = ago(3_600_000);
    const incidentId = await classify({ classification: 'serious-harm-to-health', awareAt, outputIds: [ids.outputId] });
    await inform(incidentId);
    await report(incidentId, 'eu-market-surveillance-authority');
    await report(incidentId, 'uk-mhra');
    const now = await clock(incidentId, 4);
    expect(now.body).toMatchObject({
      incidentId,
      incident: { classification: 'serious-harm-to-health', awareAt, outputIds: [ids.outputId], evidence: [expect.any(Number)] },
      medicalDevice: { isMedicalDevice: true, riskClass: 'uk-mdr-class-iia' },
      providerAware: { from: 'deployer-notice', at: now.body.providerNotice.madeAt },
      deadlines: {
        rules: 'eu-ai-act-art73+mhra-vigilance/2026-08-02',
        informProviderBy: plus(awareAt, DAY),
        euAuthorityBy: plus(now.body.providerNotice.madeAt, 15 * DAY),
        mhraBy: plus(now.body.providerNotice.madeAt, 10 * DAY),
        mhraCategory: 'death-or-serious-deterioration',
      },
      findings: [],
    });
    expect(now.body.authorityReports.map((r: { authority: string }) => r.authority)).toEqual([
      'eu-market-surveillance-authority',
      'uk-mhra',
    ]);
    expect(now.body.incident.inclusionProofs).toEqual([expect.stringMatching(/^\/entries\/\d+\/inclusion-proof\?treeSize=\d+$/)]);
    expect(now.body.basis.seqs).toEqual(expect.arrayContaining([now.body.incident.evidence[0], now.body.medicalDevice.evidence[0]]));
    expect(codes(await clock(incidentId, 0, plus(awareAt, 30 * DAY)))).toEqual([]);
  });

  it('late: a notice after the deployer’s hours and reports after the deadlines counted from the provider’s awareness', async () => {
    const awareAt = ago(20 * DAY);
    const incidentId = await classify({ classification: 'serious-harm-to-health', awareAt });
    await aware(incidentId, ago(20 * DAY - 3_600_000));
    await inform(incidentId);
    await report(incidentId, 'eu-market-surveillance-authority');
    await report(incidentId, 'uk-mhra');
    const late = await clock(incidentId, 5);
    expect(late.body.providerAware).toMatchObject({ from: 'provider-record' });
    expect(codes(late)).toEqual(['INCIDENT.PROVIDER_INFORMED_LATE', 'INCIDENT.AUTHORITY_REPORT_LATE', 'INCIDENT.MHRA_REPORT_LATE']);
    const eu = late.body.findings[1];
    expect(eu.details).toMatchObject({
      incidentId,
      dueAt: late.body.deadlines.euAuthorityBy,
      madeAt: late.body.authorityReports[0].madeAt,
    });
    expect(eu.evidence).toEqual(
      [late.body.incident.evidence[0], late.body.providerAware.evidence[0], late.body.authorityReports[0].evidence[0]].sort(
        (a, b) => a - b,
      ),
    );
  });

  it('missing: a death no one reported is found once each deadline has passed, and not before', async () => {
    const awareAt = ago(20 * DAY);
    const incidentId = await classify({ classification: 'death', awareAt });
    await aware(incidentId, awareAt);
    const missing = await clock(incidentId, 2);
    expect(missing.body.deadlines).toMatchObject({ euAiActDays: 10, mhraDays: 10, euAuthorityBy: plus(awareAt, 10 * DAY) });
    expect(codes(missing)).toEqual(['INCIDENT.PROVIDER_NOT_INFORMED', 'INCIDENT.AUTHORITY_REPORT_MISSING', 'INCIDENT.MHRA_REPORT_MISSING']);
    expect(codes(await clock(incidentId, 0, plus(awareAt, 2 * DAY)))).toEqual(['INCIDENT.PROVIDER_NOT_INFORMED']);
    expect(codes(await clock(incidentId, 0, plus(awareAt, 3_600_000)))).toEqual([]);
  });

  it('an incident that is not serious has no deadlines; the clock is the deployer’s and the provider’s only, and unknown incidents are 404', async () => {
    const incidentId = await classify({ classification: 'not-serious', awareAt: ago(20 * DAY) });
    const quiet = await clock(incidentId, 1);
    expect(quiet.body).toMatchObject({ deadlines: { informProviderBy: null, euAuthorityBy: null, mhraBy: null }, findings: [] });
    const other = { ...people.auditorA, organisationId: 'other-hospital' };
    expect((await services.call.ledger('GET', `/incidents/${incidentId}/reporting-clock`, { caller: other })).body).toMatchObject({
      status: 403,
      code: 'AUTH.OTHER_ORGANISATION',
    });
    const vendorAuditor = { ...people.auditorA, organisationId: people.vendorSafetyA.organisationId };
    expect((await services.call.ledger('GET', `/incidents/${incidentId}/reporting-clock`, { caller: vendorAuditor })).status).toBe(200);
    expect(
      (await services.call.ledger('GET', `/incidents/${randomUUID()}/reporting-clock`, { caller: people.auditorA })).body,
    ).toMatchObject({
      status: 404,
      code: 'INCIDENT.NOT_FOUND',
    });
  });
  it('lets the investigator of a case opened on the incident read its clock through the case, as the parties read it; a case on outputs has none', async () => {
    const awareAt = ago(3_600_000);
    // The deployer classifies the incident the clinical system reported (the same id), which A's investigators were referred.
    await classify({ incidentId: ids.incidentId, classification: 'serious-harm-to-health', awareAt, outputIds: [ids.outputId] });
    const asParty = await clock(ids.incidentId, 1);
    const opened = await ok(
      services.call.ledger('POST', '/cases', {
        caller: people.investigatorA,
        body: { title: 'Serious harm, ward 7B', incidentId: ids.incidentId },
      }),
    );
    const throughCase = await services.call.ledger('GET', `/cases/${opened.caseId}/incident/reporting-clock`, {
      caller: people.investigatorA,
    });
    expect(throughCase.status).toBe(200);
    expect(throughCase.body).toMatchObject({
      incident: { classification: 'serious-harm-to-health', awareAt },
      deadlines: asParty.body.deadlines,
    });
    expect(throughCase.body.findings).toEqual(asParty.body.findings);

    expect(
      (await services.call.ledger('GET', `/cases/${ids.caseId}/incident/reporting-clock`, { caller: people.investigatorA })).body,
    ).toMatchObject({
      status: 409,
      code: 'CASE.NOT_ABOUT_AN_INCIDENT',
    });
    expect(
      (await services.call.ledger('GET', `/cases/${opened.caseId}/incident/reporting-clock`, { caller: people.auditorA })).status,
    ).toBe(403);
  });
});
