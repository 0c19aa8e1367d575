import type { Caller } from '@aal/http';
import { eventually, tokenFor } from '@aal/testing';
import { randomBytes } from 'node:crypto';
import { untilKnown } from '../scripts/demo-scenario';
import { ok, startFourServices, type FourServices } from './support/four-services';

const hospital = 'st-findings-hospital';
const people = {
  vendor: { organisationId: 'acme-findings-ai', personId: 'psn_acme_vendor_01', role: 'vendor-admin' },
  requester: { organisationId: hospital, personId: 'psn_fh_wardmgr_01', role: 'employer-requester' },
  safetyOfficer: { organisationId: hospital, personId: 'psn_fh_cso_000001', role: 'employer-approver' },
  digitalLead: { organisationId: hospital, personId: 'psn_fh_digital_01', role: 'employer-admin' },
  epr: { organisationId: hospital, personId: 'psn_fh_epr_system', role: 'clinical-system' },
} satisfies Record<string, Caller>;
const trainedNurse = { personId: 'psn_fh_nurse_0042', role: 'staff-nurse' };
const untrainedNurse = { personId: 'psn_fh_nurse_0077', role: 'staff-nurse' };
const nurseInCharge = { personId: 'psn_fh_nic_000003', role: 'nurse-in-charge' };

type Finding = { code: string; evidence: number[]; inclusionProofs: string[]; details: Record<string, unknown> };

/**
 * Findings end to end: a vendor, an employer and a clinical system act through the public HTTP
 * APIs of their services; the events travel through the outboxes and real Kafka into the ledger,
 * whose accountability API derives the findings of each output from them.
 */
describe('findings through all four services', () => {
  let services: FourServices;
  let call: FourServices['call'];
  let ledgerUrl: string;
  let investigatorToken: string;
  const run = randomBytes(3).toString('hex');
  const outputs = { underNotice: `fh-${run}-001`, afterSuspension: `fh-${run}-002`, reportedLate: `fh-${run}-003` };

  const accountability = async (outputId: string) => {
    const res = await fetch(`${ledgerUrl}/outputs/${outputId}/accountability`, {
      headers: { authorization: `Bearer ${investigatorToken}` },
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const codes = (answer: { findings: Finding[] }) => answer.findings.map((f) => f.code);

  beforeAll(async () => {
    services = await startFourServices('findings-e2e');
    call = services.call;
    ledgerUrl = services.url.ledger;
    investigatorToken = await tokenFor(
      { organisationId: hospital, personId: 'psn_fh_investig_01', role: 'investigator' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );

    const stamp = () => new Date().toISOString();
    // Built: a model, a version, and (after the deployment is set up) a safety notice.
    const model = await ok(
      call['model-registry']('POST', '/models', {
        caller: people.vendor,
        body: {
          name: 'SepsisWatch',
          intendedPurpose: 'Sepsis early warning for adult inpatients.',
          riskClass: 'uk-mdr-class-iia',
          manufacturerSafetyOfficer: 'psn_acme_cso_0001',
        },
      }),
    );
    const released = await ok(
      call['model-registry']('POST', `/models/${model.modelId}/versions`, {
        caller: people.vendor,
        body: {
          version: '3.0.0',
          artifactDigest: `sha256:${'f'.repeat(64)}`,
          intendedUse: 'Adult acute wards.',
          contraindications: [{ code: 'acme:under-18', text: 'Under 18' }],
          intendedPopulation: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], text: 'Adults.' },
          knownLimitations: ['Beta blockers lower sensitivity'],
          evidenceRefs: ['doi:10.1000/sw3'],
        },
      }),
    );
    const versionId = (Object.values(released.versions) as Array<{ versionId: string; version: string }>).find(
      (v) => v.version === '3.0.0',
    )!.versionId;

    // Approved and deployed; instructed (a mandatory policy with a 60 s minimum review; one nurse trained).
    const deployment = await ok(
      call['deployment-approval']('POST', '/deployments', {
        caller: people.requester,
        body: {
          modelId: model.modelId,
          versionId,
          setting: { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse', 'nurse-in-charge'] },
          intendedUse: 'Sepsis early warning on ward 7A.',
        },
      }),
    );
    const deploymentId = deployment.deploymentId as string;
    await eventually(
      () =>
        call['deployment-approval']('POST', `/deployments/${deploymentId}/approval`, {
          caller: people.safetyOfficer,
          body: {
            conditions: ['Audit after 3 months'],
            hazardLogRef: 'FH-HL-7',
            reviewDate: '2099-01-01',
            scope: {
              sites: ['ward-7a'],
              services: ['Acute medicine'],
              roles: ['staff-nurse', 'nurse-in-charge'],
              population: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], excludedContraindicationCodes: ['acme:under-18'] },
              uses: ['advisory', 'mandatory'],
            },
          },
        }),
      (r) => r.status === 200 || r.status === 201,
      60000,
      'approval once deployment-approval knows the version',
    );
    await ok(
      call['deployment-approval']('POST', `/deployments/${deploymentId}/activation`, {
        caller: people.digitalLead,
        body: { sites: ['ward-7a'] },
      }),
    );
    await ok(
      call['deployment-approval']('POST', `/deployments/${deploymentId}/usage-policies`, {
        caller: people.digitalLead,
        body: {
          use: 'mandatory',
          roles: ['staff-nurse'],
          sites: ['ward-7a'],
          humanReviewRequired: true,
          minimumReviewSeconds: 60,
          effectiveFrom: stamp(),
        },
      }),
    );
    await ok(
      call['deployment-approval']('POST', '/training-records', {
        caller: people.digitalLead,
        body: {
          professionalId: trainedNurse.personId,
          deploymentId,
          course: 'SepsisWatch essentials',
          completedAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
        },
      }),
    );
    await ok(
      call['model-registry']('POST', `/models/${model.modelId}/safety-notices`, {
        caller: people.vendor,
        body: {
          affectedVersionIds: [versionId],
          severity: 'high',
          summary: 'Under-triage in patients on beta blockers.',
          requiredAction: 'Review every low score by hand.',
        },
      }),
    );

    // Acted on. Output 1: under the notice, an untrained nurse told to follow the AI accepts it after 20 s.
    // usage-events learns of the deployment from deployment-approval's topic: retry while it is in flight.
    const generate = (outputId: string, occurredAt: string) =>
      ok(
        untilKnown(() =>
          call['usage-events']('POST', '/outputs', {
            caller: people.epr,
            body: {
              outputId,
              deploymentId,
              modelId: model.modelId,
              versionId,
              subjectRef: `psn_subj_${outputId.replace(/-/g, '_')}`,
              site: 'ward-7a',
              outputDigest: `sha256:${'a'.repeat(64)}`,
              occurredAt,
            },
          }),
        ),
      );
    const present = (outputId: string, professional: { personId: string; role: string }) =>
      ok(
        call['usage-events']('POST', `/outputs/${outputId}/presentations`, {
          caller: people.epr,
          body: { professional, site: 'ward-7a', occurredAt: stamp() },
        }),
      );
    const act = (outputId: string, professional: { personId: string; role: string }, body: Record<string, unknown>) =>
      ok(
        call['usage-events']('POST', `/outputs/${outputId}/actions`, {
          caller: people.epr,
          body: { professional, ...body, occurredAt: stamp() },
        }),
      );

    await generate(outputs.underNotice, stamp());
    await present(outputs.underNotice, untrainedNurse);
    await ok(
      call['usage-events']('POST', '/instructions', {
        caller: people.epr,
        body: {
          instructor: nurseInCharge,
          professionalId: untrainedNurse.personId,
          kind: 'follow-ai',
          outputId: outputs.underNotice,
          occurredAt: stamp(),
        },
      }),
    );
    await act(outputs.underNotice, untrainedNurse, { action: 'accepted', reviewDurationSeconds: 20 });

    // Output 2: after the employer suspended the deployment, a trained nurse overrides it after 90 s.
    await ok(
      call['deployment-approval']('POST', `/deployments/${deploymentId}/suspension`, {
        caller: people.digitalLead,
        body: { reason: 'Vendor safety notice under review.' },
      }),
    );
    await generate(outputs.afterSuspension, stamp());
    await present(outputs.afterSuspension, trainedNurse);
    await act(outputs.afterSuspension, trainedNurse, {
      action: 'overridden',
      rationale: 'Observations normal on repeat.',
      reviewDurationSeconds: 90,
    });

    // Output 3: reported 40 minutes after it was produced, which was before the deployment existed.
    await generate(outputs.reportedLate, new Date(Date.now() - 40 * 60_000).toISOString());
  });

  afterAll(async () => {
    await services?.close();
  });

  it('finds, for the output under the safety notice, the unanswered notice, the mandatory policy, the missing training, the instruction, the short review and the acceptance', async () => {
    const { body } = await eventually(
      () => accountability(outputs.underNotice),
      (r) =>
        r.status === 200 &&
        r.body.actedOn.actions.length === 1 &&
        r.body.instructed.instructions.length === 1 &&
        r.body.built.safetyNoticesInForce.length === 1 &&
        r.body.instructed.policiesInForce.length === 1,
      90000,
      'the first output with everything about it',
    );
    expect(codes(body)).toEqual([
      'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE',
      'POLICY.MANDATORY_USE',
      'TRAINING.NONE_RECORDED',
      'REVIEW.BELOW_POLICY_MINIMUM',
      'ACTION.ACCEPTED_UNCHANGED',
      'INSTRUCTION.TO_FOLLOW_AI',
    ]);
    const byCode = Object.fromEntries((body.findings as Finding[]).map((f) => [f.code, f]));
    expect(byCode['REVIEW.BELOW_POLICY_MINIMUM']!.details).toMatchObject({
      professionalId: untrainedNurse.personId,
      reviewDurationSeconds: 20,
      minimumReviewSeconds: 60,
    });
    expect(byCode['TRAINING.NONE_RECORDED']!.details).toEqual({ professionalId: untrainedNurse.personId });
    expect(byCode['INSTRUCTION.TO_FOLLOW_AI']!.details).toMatchObject({
      instructor: nurseInCharge,
      professionalId: untrainedNurse.personId,
    });
    expect(byCode['SAFETY_NOTICE.NO_EMPLOYER_RESPONSE']!.evidence).toEqual(
      [...body.output.evidence, ...body.built.safetyNoticesInForce[0].evidence].sort((a: number, b: number) => a - b),
    );
    for (const f of body.findings as Finding[]) {
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.inclusionProofs).toHaveLength(f.evidence.length);
    }
    const proof = await fetch(`${ledgerUrl}${byCode['ACTION.ACCEPTED_UNCHANGED']!.inclusionProofs[0]}`);
    expect(proof.status).toBe(200);
  });

  it('finds, for the output after the suspension, that the deployment was suspended, and not the notice, which the employer answered by suspending', async () => {
    const { body } = await eventually(
      () => accountability(outputs.afterSuspension),
      (r) =>
        r.status === 200 &&
        r.body.actedOn.actions.length === 1 &&
        r.body.approvedAndDeployed.stateAtOutputTime.state === 'suspended' &&
        r.body.built.safetyNoticesInForce.length === 1,
      90000,
      'the second output from a suspended deployment',
    );
    expect(codes(body)).toEqual(['DEPLOYMENT.NOT_ACTIVE_AT_TIME', 'POLICY.MANDATORY_USE', 'ACTION.OVERRIDDEN']);
    const suspension = body.approvedAndDeployed.transitions.find((t: { event: string }) => t.event === 'deployment.suspended');
    expect(body.findings[0]).toMatchObject({
      details: { state: 'suspended' },
      evidence: [...body.output.evidence, ...suspension.evidence].sort((a: number, b: number) => a - b),
    });
  });

  it('finds, for the output reported 40 minutes late, that it was recorded late and predates the version, the approval and the deployment', async () => {
    const { body } = await eventually(
      () => accountability(outputs.reportedLate),
      (r) => r.status === 200,
      90000,
      'the late output',
    );
    expect(body.output.recordedLateBySeconds).toBeGreaterThanOrEqual(40 * 60);
    expect(codes(body)).toEqual([
      'VERSION.NOT_APPROVED_FOR_DEPLOYMENT',
      'VERSION.NOT_RELEASED_AT_TIME',
      'DEPLOYMENT.NOT_ACTIVE_AT_TIME',
      'RECORDING.LATE',
    ]);
    expect(body.findings[2].details).toMatchObject({ state: 'unknown' });
    expect(body.findings[3]).toMatchObject({ evidence: body.output.evidence });
  });
});
