import { SCOPE_FINDING_CODES } from '@aal/accountability';
import { eventually, tokenFor } from '@aal/testing';
import { randomBytes } from 'node:crypto';
import { untilKnown } from '../scripts/demo-scenario';
import { ok, outputBody, people, release, startFourServices, type FourServices } from './support/four-services';

type Finding = { code: string; statement: string; evidence: number[]; details: Record<string, unknown> };
type ScopeCheck = { check: string; outcome: string; statement: string; evidence: number[] };
type Answer = { findings: Finding[]; scopeChecks: ScopeCheck[]; approvedAndDeployed: { scope: { evidence: number[] } | null } };

const SCOPE_CODES: readonly string[] = SCOPE_FINDING_CODES;

const adults = ['18-39', '40-64', '65-79', '80-plus'];
const SCOPE = {
  sites: ['ward-7a'],
  services: ['Acute medicine'],
  roles: ['staff-nurse'],
  population: { ageBands: adults, excludedContraindicationCodes: ['acme:under-18'] },
  uses: ['advisory'],
};
const staffNurse = { personId: 'psn_sc_nurse_0042', role: 'staff-nurse' };
const assistant = { personId: 'psn_sc_hca_000007', role: 'healthcare-assistant' };
const sister = { personId: 'psn_sc_sister_001', role: 'ward-sister' };

/**
 * The approved-scope findings end to end (issue #14): a vendor releases a version with coded
 * contraindications and an intended population; an employer approves it for one ward, one service,
 * one role, adults and advisory use, then widens the sites by a recorded scope change; a clinical
 * system reports outputs inside and outside that scope, with and without population facts. A second
 * deployment is approved until today, then reviewed. Everything goes through the producers' HTTP
 * APIs, their outboxes and real Kafka into the ledger, and is read from its accountability API.
 */
describe('approved-scope findings through all four services', () => {
  let services: FourServices;
  let investigatorToken: string;
  const run = randomBytes(3).toString('hex');
  const out = (name: string) => `sc-${run}-${name}`;
  const answers: Record<string, Answer> = {};

  const accountability = async (outputId: string) => {
    const res = await fetch(`${services.url.ledger}/outputs/${outputId}/accountability`, {
      headers: { authorization: `Bearer ${investigatorToken}` },
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };
  const scopeCodes = (answer: Answer) => answer.findings.map((f) => f.code).filter((c) => SCOPE_CODES.includes(c));
  const check = (answer: Answer, name: string) => answer.scopeChecks.find((c) => c.check === name)!;

  beforeAll(async () => {
    // The review-date sweep would expire the second deployment (approved until today) before its
    // review is recorded if it ran in between; this file records that review through the API.
    process.env['EXPIRY_SWEEP_INTERVAL_MS'] = String(3_600_000);
    services = await startFourServices('scope-findings-e2e');
    const { call } = services;
    investigatorToken = await tokenFor(
      { organisationId: people.approverA.organisationId, personId: 'psn_sc_investig_1', role: 'investigator' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );

    const model = await ok(
      call['model-registry']('POST', '/models', {
        caller: people.vendorA,
        body: {
          name: 'SepsisWatch',
          intendedPurpose: 'Sepsis early warning for adult inpatients.',
          riskClass: 'uk-mdr-class-iia',
          manufacturerSafetyOfficer: 'psn_acme_cso_0001',
        },
      }),
    );
    const released = await ok(
      call['model-registry']('POST', `/models/${model.modelId}/versions`, { caller: people.vendorA, body: release('4.0.0') }),
    );
    const versionId = (Object.values(released.versions) as Array<{ versionId: string }>)[0]!.versionId;
    const ids = (deploymentId: string) => ({ deploymentId, modelId: model.modelId as string, versionId });

    const requestAndApprove = async (reviewDate: string) => {
      const requested = await ok(
        call['deployment-approval']('POST', '/deployments', {
          caller: people.requesterA,
          body: {
            modelId: model.modelId,
            versionId,
            setting: {
              sites: ['ward-7a', 'ward-7b'],
              services: ['Acute medicine', 'Cardiology'],
              roles: ['staff-nurse', 'healthcare-assistant'],
            },
            intendedUse: 'Sepsis early warning, advisory.',
          },
        }),
      );
      await eventually(
        () =>
          call['deployment-approval']('POST', `/deployments/${requested.deploymentId}/approval`, {
            caller: people.approverA,
            body: { conditions: ['Ward 7A only until the first review'], hazardLogRef: 'SC-HL-1', reviewDate, scope: SCOPE },
          }),
        (r) => r.status === 200 || r.status === 201,
        60000,
        'approval once deployment-approval knows the version',
      );
      return requested.deploymentId as string;
    };

    const report = (outputId: string, deploymentId: string, facts: Record<string, unknown>) =>
      untilKnown(() =>
        ok(
          call['usage-events']('POST', '/outputs', {
            caller: people.clinicalA,
            body: { ...outputBody(outputId, ids(deploymentId)), ...facts },
          }),
        ),
      );
    const present = (outputId: string, professional: typeof staffNurse, site: string) =>
      ok(
        call['usage-events']('POST', `/outputs/${outputId}/presentations`, {
          caller: people.clinicalA,
          body: { professional, site, occurredAt: new Date().toISOString() },
        }),
      );

    // Deployment 1: approved for ward 7A, Acute medicine, staff nurses, adults, advisory use.
    const first = await requestAndApprove('2099-01-01');
    await ok(
      call['deployment-approval']('POST', `/deployments/${first}/activation`, { caller: people.adminA, body: { sites: ['ward-7a'] } }),
    );
    await report(out('within'), first, { service: 'Acute medicine', population: { ageBand: '40-64', contraindicationCodes: [] } });
    await present(out('within'), staffNurse, 'ward-7a');
    await report(out('outside'), first, {
      site: 'ward-7b',
      service: 'Cardiology',
      population: { ageBand: '12-15', contraindicationCodes: ['acme:under-18'] },
    });
    await present(out('outside'), assistant, 'ward-7b');
    await ok(
      call['usage-events']('POST', '/instructions', {
        caller: people.clinicalA,
        body: {
          instructor: sister,
          professionalId: assistant.personId,
          kind: 'follow-ai',
          outputId: out('outside'),
          occurredAt: new Date().toISOString(),
        },
      }),
    );
    await report(out('silent'), first, {});
    // The clinical safety officer widens the sites from now on; an output on ward 7B afterwards is within.
    await ok(
      call['deployment-approval']('POST', `/deployments/${first}/scope-changes`, {
        caller: people.approverA,
        body: { scope: { ...SCOPE, sites: ['ward-7a', 'ward-7b'] }, reviewDate: '2099-01-01', reason: 'Ward 7B staff trained.' },
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    await report(out('after-change'), first, { site: 'ward-7b', service: 'Acute medicine', population: { ageBand: '65-79' } });

    // Deployment 2: approved until today, so an output now is past its review date; then reviewed.
    const second = await requestAndApprove(new Date().toISOString().slice(0, 10));
    await report(out('overdue'), second, { service: 'Acute medicine', population: { ageBand: '40-64' } });
    await ok(
      call['deployment-approval']('POST', `/deployments/${second}/reviews`, {
        caller: people.approverA,
        body: { summary: 'First review: no incidents, override rate as expected.', nextReviewDate: '2099-01-01' },
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    await report(out('reviewed'), second, { service: 'Acute medicine', population: { ageBand: '40-64' } });

    // Each answer once the ledger holds everything it rests on.
    const made = (a: Answer, ...names: string[]) => names.every((n) => check(a, n).outcome !== 'not-checked');
    const expected: Record<string, (a: Answer) => boolean> = {
      within: (a) => made(a, 'site', 'role', 'version-age-band'),
      outside: (a) => made(a, 'site', 'role', 'version-age-band') && check(a, 'use').outcome === 'outside',
      silent: (a) => made(a, 'site', 'review-date'),
      'after-change': (a) => (a.approvedAndDeployed.scope as { source?: string } | null)?.source === 'deployment.scope-changed',
      overdue: (a) => made(a, 'review-date', 'version-age-band'),
      reviewed: (a) => check(a, 'review-date').outcome === 'within',
    };
    for (const [name, ready] of Object.entries(expected)) {
      const res = await eventually(
        () => accountability(out(name)),
        (r) => r.status === 200 && ready(r.body),
        60000,
        `the accountability of output ${name}`,
      );
      answers[name] = res.body;
    }
  }, 240000);

  afterAll(async () => {
    await services?.close();
  });

  it('finds nothing for an output within the approved scope and the intended population, every check made', () => {
    expect(scopeCodes(answers['within']!)).toEqual([]);
    expect(answers['within']!.scopeChecks.map((c) => c.outcome)).toEqual(Array(9).fill('within'));
  });

  it('finds the output on another ward, service and role, for a child with an excluded contraindication, under an instruction to follow the AI', () => {
    const answer = answers['outside']!;
    expect(scopeCodes(answer)).toEqual([
      'SCOPE.SITE_NOT_APPROVED',
      'SCOPE.SERVICE_NOT_APPROVED',
      'SCOPE.ROLE_NOT_APPROVED',
      'SCOPE.POPULATION_NOT_APPROVED',
      'SCOPE.POPULATION_NOT_APPROVED',
      'VERSION.POPULATION_EXCLUDED',
      'VERSION.POPULATION_EXCLUDED',
      'SCOPE.MANDATED_USE_NOT_APPROVED',
    ]);
    const approvalSeq = answer.approvedAndDeployed.scope!.evidence[0]!;
    for (const f of answer.findings.filter((f) => SCOPE_CODES.includes(f.code))) {
      expect(f.evidence.length).toBeGreaterThanOrEqual(2);
      expect(f.code.startsWith('VERSION.') || f.evidence.includes(approvalSeq)).toBe(true);
    }
    expect(answer.findings.find((f) => f.code === 'SCOPE.ROLE_NOT_APPROVED')!.details).toMatchObject({
      professionals: [assistant],
      approvedRoles: ['staff-nurse'],
    });
  });

  it('makes no scope finding for an output that states no service or population, and says which checks could not be made', () => {
    const answer = answers['silent']!;
    expect(scopeCodes(answer)).toEqual([]);
    expect(check(answer, 'site').outcome).toBe('within');
    for (const name of ['service', 'approved-age-band', 'approved-contraindications', 'version-age-band', 'version-contraindications']) {
      expect(check(answer, name)).toMatchObject({
        outcome: 'not-checked',
        statement: expect.stringMatching(/^Not checked: output .* does not state /),
      });
    }
  });

  it('reads an output on the second ward after the scope change against the changed scope: no site finding', () => {
    const answer = answers['after-change']!;
    expect(scopeCodes(answer)).toEqual([]);
    const site = check(answer, 'site');
    expect(site.outcome).toBe('within');
    // The changed scope and the output, ascending by seq: which came first depends on the topics' arrival order.
    expect(site.evidence).toHaveLength(2);
    expect(site.evidence).toContain(answer.approvedAndDeployed.scope!.evidence[0]);
  });

  it('finds an output on or after the review date with no renewed review, and none once the review is recorded', () => {
    expect(scopeCodes(answers['overdue']!)).toEqual(['APPROVAL.REVIEW_OVERDUE']);
    expect(scopeCodes(answers['reviewed']!)).toEqual([]);
    expect(answers['reviewed']!.approvedAndDeployed).toMatchObject({
      reviewDateInForce: { reviewDate: '2099-01-01', source: 'deployment.reviewed' },
    });
  });
});
