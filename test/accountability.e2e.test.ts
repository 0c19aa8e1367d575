import { eventually, tokenFor } from '@aal/testing';
import {
  BUSY_MONTH,
  MINIMUM_REVIEW_SECONDS,
  oversightTable,
  people,
  professionals,
  concernLines,
  incidentClockLines,
  waitForAccountability,
  waitForConcernAnswered,
  waitForIncidentClock,
  waitForOversight,
  type DemoResult,
} from '../scripts/demo-scenario';
import { DEMO_STACK, playDemoOn, startFourServices, type FourServices } from './support/four-services';

/**
 * The whole system end to end: the demo scenario is played through the HTTP APIs of the three
 * producer services, travels through their outboxes and real Kafka into the ledger, and comes
 * back out of the ledger's API as one output's accountability chain.
 */
const auditor = { organisationId: 'care-quality-audit', personId: 'psn_cqa_auditor_1', role: 'auditor' };

describe('an AI output travels from three producers through Kafka into the ledger and back out', () => {
  let services: FourServices;
  let result: DemoResult;
  let ledgerUrl: string;

  beforeAll(async () => {
    services = await startFourServices('e2e', DEMO_STACK);
    ledgerUrl = services.url.ledger;
    result = await playDemoOn(services);
    // The demo waits for its concern's answer to fall due (DEMO_CONCERN_DUE_PERIODS) before the vendor answers.
  }, 240_000);

  afterAll(async () => {
    await services?.close();
  });

  it('answers who built, approved, deployed, instructed and acted on the overridden output, each with its ledger entries', async () => {
    const chain = await waitForAccountability(ledgerUrl, result.outputs.overridden, tokenFor);
    const entries = (await (
      await fetch(`${ledgerUrl}/entries?limit=1000`, {
        headers: { authorization: `Bearer ${await tokenFor(auditor, { grants: ['all-organisations'] })}` },
      })
    ).json()) as { entries: Array<{ seq: number; event: { type: string; data: any } }> };
    const seqOf = (type: string, pred: (data: any) => boolean = () => true) =>
      entries.entries.filter((e) => e.event.type === type && pred(e.event.data)).map((e) => e.seq);

    // built
    expect(chain.built.model).toMatchObject({
      vendorId: 'acme-clinical-ai',
      name: 'SepsisWatch Early Warning',
      registeredBy: people.vendorLead,
    });
    expect(chain.built.model.evidence).toEqual(seqOf('aal.model.registered.v1'));
    expect(chain.built.version).toMatchObject({ versionId: result.versionId, version: '2.1.0', statusAtOutputTime: 'released' });
    expect(chain.built.version.knownLimitations).toContain('Lower sensitivity in patients on beta blockers');
    expect(chain.built.version.evidence).toEqual(seqOf('aal.model.version.released.v2'));

    // approved and deployed
    const deployed = chain.approvedAndDeployed;
    expect(deployed.deploymentId).toBe(result.deploymentId);
    expect(deployed.request.requestedBy).toEqual(people.wardManager);
    expect(deployed.approval).toMatchObject({ approvedBy: people.safetyOfficer, hazardLogRef: 'SW-DCB0160-HL-031' });
    expect(deployed.approval.evidence).toEqual(seqOf('aal.deployment.approved.v2'));
    expect(deployed.activation).toMatchObject({ activatedBy: people.digitalLead, sites: ['ward-7a'] });
    expect(deployed.stateAtOutputTime.state).toBe('active');

    // instructed
    expect(chain.instructed.policiesInForce).toEqual([
      expect.objectContaining({
        use: 'advisory',
        humanReviewRequired: true,
        minimumReviewSeconds: 60,
        // The policy is for ward 7A, the approved ward; this output was reported on 7B.
        coversOutputSite: false,
        evidence: seqOf('aal.usage-policy.issued.v1'),
      }),
    ]);
    expect(chain.instructed.instructions).toEqual([
      expect.objectContaining({
        instructor: professionals.nurseInCharge,
        professionalId: professionals.untrainedNurse.personId,
        kind: 'use-ai',
      }),
    ]);
    expect(chain.instructed.training).toEqual([
      expect.objectContaining({ professionalId: professionals.untrainedNurse.personId, trainedAtOutputTime: false, records: [] }),
    ]);

    // acted on
    expect(chain.actedOn.presentations).toEqual([expect.objectContaining({ professional: professionals.untrainedNurse, site: 'ward-7b' })]);
    expect(chain.actedOn.actions).toEqual([
      expect.objectContaining({
        professional: professionals.untrainedNurse,
        action: 'overridden',
        reviewDurationSeconds: 95,
        evidence: seqOf('aal.output.acted-on.v1', (d) => d.outputId === result.outputs.overridden),
      }),
    ]);
    expect(chain.output).toMatchObject({ deploymentId: result.deploymentId, site: 'ward-7b', reportedBy: people.eprSystem });
  });

  it('shows the trained nurse as trained for the accepted output', async () => {
    const chain = await waitForAccountability(ledgerUrl, result.outputs.accepted, tokenFor);
    expect(chain.instructed.training).toEqual([
      expect.objectContaining({ professionalId: professionals.trainedNurse.personId, trainedAtOutputTime: true }),
    ]);
    expect(chain.actedOn.actions[0]).toMatchObject({ action: 'accepted', reviewDurationSeconds: 140 });
  });

  it('answers an unknown output with a 404 problem', async () => {
    const res = await fetch(`${ledgerUrl}/outputs/no-such-output/accountability`, {
      headers: { authorization: `Bearer ${await tokenFor(people.auditor)}` },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'OUTPUT.NOT_FOUND', status: 404 });
  });

  it("states the demo's findings as facts, each output only its own", async () => {
    const codes = async (outputId: string) =>
      ((await waitForAccountability(ledgerUrl, outputId, tokenFor)).findings as Array<{ code: string }>).map((f) => f.code);
    const overridden = await codes(result.outputs.overridden);
    expect(overridden).toEqual(expect.arrayContaining(['TRAINING.NONE_RECORDED', 'INSTRUCTION.TO_USE_AI', 'ACTION.OVERRIDDEN']));
    expect(overridden).not.toContain('REVIEW.BELOW_POLICY_MINIMUM');
    const quick = await codes(result.outputs.quickAccept);
    expect(quick).toEqual(expect.arrayContaining(['REVIEW.BELOW_POLICY_MINIMUM', 'ACTION.ACCEPTED_UNCHANGED']));
    expect(quick).not.toContain('TRAINING.NONE_RECORDED');
    expect(quick).not.toContain('INSTRUCTION.TO_USE_AI');
    expect(await codes(result.outputs.accepted)).not.toContain('REVIEW.BELOW_POLICY_MINIMUM');
  });

  it('finds the overridden output on ward 7B outside the approved scope (ward 7A only), and the outputs on 7A inside it', async () => {
    const findingsOf = async (outputId: string) =>
      (await waitForAccountability(ledgerUrl, outputId, tokenFor)).findings as Array<{ code: string; evidence: number[]; details: any }>;
    const site = (await findingsOf(result.outputs.overridden)).find((f) => f.code === 'SCOPE.SITE_NOT_APPROVED');
    expect(site).toMatchObject({ details: expect.objectContaining({ check: 'site' }) });
    expect(site!.evidence.length).toBeGreaterThan(0);
    expect((await findingsOf(result.outputs.accepted)).map((f) => f.code)).not.toContain('SCOPE.SITE_NOT_APPROVED');
    expect((await findingsOf(result.outputs.quickAccept)).map((f) => f.code)).not.toContain('SCOPE.SITE_NOT_APPROVED');
  });

  it("shows the busy month on ward 7A: outputs per nurse rising week by week, median review time falling below the policy minimum, and the deployment's findings", async () => {
    const { buckets, findings } = await waitForOversight(ledgerUrl, result, tokenFor);
    expect(buckets.map((b) => [b.start.slice(0, 10), b.outputs, b.actions, b.activeProfessionals])).toEqual(
      BUSY_MONTH.map((w, i) => [
        new Date(Date.parse(result.month.from) + i * 7 * 86_400_000).toISOString().slice(0, 10),
        w.outputs,
        w.outputs,
        w.nurses,
      ]),
    );
    expect(buckets.every((b) => b.minimumReviewSeconds === MINIMUM_REVIEW_SECONDS)).toBe(true);
    const perNurse = buckets.map((b) => b.outputsPerProfessional!);
    const p50 = buckets.map((b) => b.reviewSeconds.p50!);
    // Week by week (each compared with the week before): outputs per nurse up, median review time down.
    expect({ perNurse, rising: perNurse.slice(1).map((v, i) => v > perNurse[i]!) }).toEqual({ perNurse, rising: [true, true, true] });
    expect({ p50, falling: p50.slice(1).map((v, i) => v < p50[i]!) }).toEqual({ p50, falling: [true, true, true] });
    expect(p50[0]).toBeGreaterThan(MINIMUM_REVIEW_SECONDS);
    expect(p50.slice(-2).every((v) => v < MINIMUM_REVIEW_SECONDS)).toBe(true);
    expect(buckets[0]!.shareBelowMinimum).toBeLessThan(buckets.at(-1)!.shareBelowMinimum!);
    expect(findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE', 'OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES']),
    );
    expect(findings.map((f) => f.code)).not.toContain('OVERSIGHT.MANDATORY_USE_WITHOUT_TRAINING');
    expect(findings.every((f) => f.title.length > 0)).toBe(true);
    // What `npm run demo` prints: a header and one line per week, with its figures.
    const table = oversightTable(buckets).split('\n');
    expect(table).toHaveLength(1 + BUSY_MONTH.length);
    buckets.forEach((b, i) => {
      expect(table[i + 1]!.split(/\s{3,}/)).toEqual([
        b.start.slice(0, 10),
        String(b.outputs),
        String(b.outputsPerProfessional),
        `${b.reviewSeconds.p50} s`,
        '60 s',
        `${Math.round(b.shareBelowMinimum! * 100)} %`,
      ]);
    });
  });

  it("lets the demo's investigator open a case under the hospital's referral of the incident, and no case on an output not referred", async () => {
    const call = services.call.ledger;
    const listed = (await call('GET', '/mandates', { caller: people.investigator })).body.mandates as any[];
    expect(listed).toEqual([
      expect.objectContaining({
        mandateId: result.mandateId,
        kind: 'incident-referral',
        organisationId: 'st-swithins-hospital',
        investigatingOrganisationId: people.investigator.organisationId,
        scope: { kind: 'incident', incidentId: result.incidentId },
        grantedBy: people.safetyOfficer,
      }),
    ]);
    const opened = await call('POST', '/cases', {
      caller: people.investigator,
      body: { title: 'Overridden sepsis alert, ward 7B', incidentId: result.incidentId },
    });
    expect(opened.status).toBe(201);
    expect(opened.body.basis).toEqual([{ organisationId: 'st-swithins-hospital', by: 'mandate', mandateIds: [result.mandateId] }]);
    const chain = await call('GET', `/cases/${opened.body.caseId}/outputs/${result.outputs.overridden}/accountability`, {
      caller: people.investigator,
    });
    expect(chain.status).toBe(200);
    expect(chain.body.actedOn.actions[0]).toMatchObject({ action: 'overridden' });

    const refused = await call('POST', '/cases', {
      caller: people.investigator,
      body: { title: 'Accepted alert', outputIds: [result.outputs.accepted] },
    });
    expect(refused).toMatchObject({ status: 403, body: { code: 'CASE.NO_MANDATE' } });
  });

  it("shows the demo's serious incident with its reporting clock: the vendor informed in time, the reports due, and found missing once past the deadline", async () => {
    const clock = await waitForIncidentClock(ledgerUrl, result.incidentId, tokenFor);
    const day = 86_400_000;
    const notice = clock.providerNotice;
    expect(clock).toMatchObject({
      incident: { classification: 'serious-harm-to-health', awareAt: result.incidentAwareAt, outputIds: [result.outputs.overridden] },
      medicalDevice: { isMedicalDevice: true, riskClass: 'uk-mdr-class-iia' },
      deadlines: {
        informProviderBy: new Date(Date.parse(result.incidentAwareAt) + day).toISOString(),
        euAuthorityBy: new Date(Date.parse(notice.madeAt) + 15 * day).toISOString(),
        mhraBy: new Date(Date.parse(notice.madeAt) + 10 * day).toISOString(),
      },
      authorityReports: [],
      findings: [],
    });
    expect(incidentClockLines(clock)).toHaveLength(6);
    const overdue = await waitForIncidentClock(
      ledgerUrl,
      result.incidentId,
      tokenFor,
      new Date(Date.parse(clock.deadlines.euAuthorityBy) + 60_000).toISOString(),
    );
    expect(overdue.findings.map((f: { code: string }) => f.code)).toEqual([
      'INCIDENT.AUTHORITY_REPORT_MISSING',
      'INCIDENT.MHRA_REPORT_MISSING',
    ]);
  });

  it("finds the vendor's late answer to the patient representative's concern, and not the hospital's answer in time", async () => {
    expect(result.vendorAnsweredLate).toBe(true);
    const answer = await waitForConcernAnswered(ledgerUrl, result.concernId, tokenFor);
    type Answer = { addressee: { party: string }; happenedAt: string; evidence: number[] };
    const answers = answer.answers as Answer[];
    const byParty = {
      vendor: answers.find((a) => a.addressee.party === 'vendor')!,
      employer: answers.find((a) => a.addressee.party === 'employer')!,
    };
    expect(answer.concern).toMatchObject({
      category: 'bias-or-unequal-performance',
      raisedBy: 'patient-or-representative',
      answerBy: result.concernAnswerBy,
    });
    // The times the ledger judges by are the concerns service's own: intake, due date, answers.
    expect(Date.parse(byParty.vendor.happenedAt)).toBeGreaterThan(Date.parse(result.concernAnswerBy));
    expect(Date.parse(byParty.employer.happenedAt)).toBeLessThanOrEqual(Date.parse(result.concernAnswerBy));
    expect(answer.findings).toEqual([
      expect.objectContaining({
        code: 'CONCERN.NOT_ANSWERED_BY_DUE_DATE',
        evidence: [...answer.concern.evidence, ...byParty.vendor.evidence],
        details: expect.objectContaining({
          addressee: { party: 'vendor', organisationId: people.vendorSafety.organisationId },
          dueAt: result.concernAnswerBy,
          answeredAt: byParty.vendor.happenedAt,
        }),
      }),
    ]);
    expect(answer.findings[0].statement).toContain(`the answer (mitigation-in-place) was recorded as made at ${byParty.vendor.happenedAt}`);
    expect(concernLines(answer).join('\n')).toContain('CONCERN.NOT_ANSWERED_BY_DUE_DATE');
    // Before the due date, the same entries give no finding.
    const before = await fetch(
      `${ledgerUrl}/concerns/${result.concernId}/accountability?asOf=${encodeURIComponent(result.concernAnswerBy)}`,
      { headers: { authorization: `Bearer ${await tokenFor(people.auditor)}` } },
    );
    expect(((await before.json()) as { findings: unknown[] }).findings).toEqual([]);
  });

  // Last in this file on purpose: it suspends the demo's deployment.
  it('shows a suspension decided later but back-dated to before an output as back-dated, and not in what the ledger knew before it', async () => {
    const auditorToken = { authorization: `Bearer ${await tokenFor(people.auditor)}` };
    const read = async (query = '') => {
      const res = await fetch(`${ledgerUrl}/outputs/${encodeURIComponent(result.outputs.quickAccept)}/accountability${query}`, {
        headers: auditorToken,
      });
      return (await res.json()) as {
        knownAt: { seq: number };
        approvedAndDeployed: { stateAtOutputTime: { state: string } };
        findings: Array<{ code: string }>;
      };
    };
    const before = await read();
    expect(before.approvedAndDeployed.stateAtOutputTime.state).toBe('active');
    expect(before.findings.map((f) => f.code)).not.toContain('RECORDING.BACK_DATED');

    const generatedAt = (await waitForAccountability(ledgerUrl, result.outputs.quickAccept, tokenFor)).output.generatedAt as string;
    const effectiveAt = new Date(Date.parse(generatedAt) - 1000).toISOString();
    const suspended = await services.call['deployment-approval']('POST', `/deployments/${result.deploymentId}/suspension`, {
      caller: people.digitalLead,
      body: { reason: 'Alert thresholds under review after a near miss.', effectiveAt },
    });
    expect(suspended.status).toBe(201);

    const after = await eventually(
      read,
      (a) => a.findings.some((f) => f.code === 'RECORDING.BACK_DATED'),
      60000,
      'the back-dated suspension in the chain',
    );
    expect(after.approvedAndDeployed.stateAtOutputTime.state).toBe('suspended');
    expect(after.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['DEPLOYMENT.NOT_ACTIVE_AT_TIME', 'RECORDING.BACK_DATED']));
    // What the ledger knew before the suspension arrived is unchanged.
    const then = await read(`?knownAt=${before.knownAt.seq}`);
    expect(then.approvedAndDeployed.stateAtOutputTime.state).toBe('active');
    expect(then.findings.map((f) => f.code)).not.toContain('RECORDING.BACK_DATED');
  });
});
