import type { Caller } from '@aal/http';
import { randomBytes } from 'node:crypto';

/**
 * The realistic demo scenario, played through the public HTTP APIs of the three producer
 * services and read back from the ledger. Used by `npm run demo` and by the end-to-end test.
 *
 * A vendor registers a sepsis early-warning model and releases a version; a hospital requests,
 * approves (by its clinical safety officer) and activates its deployment on two wards, issues an
 * advisory usage policy and records one nurse's training; three outputs are generated, shown and
 * acted on: one accepted, one overridden after a supervisor's instruction, one accepted after a
 * review shorter than the policy minimum. The hospital reports an incident about the overridden
 * output and its clinical safety officer refers it to the patient-safety investigators: the
 * mandate under which their investigator opens a case on it.
 */
export interface ServiceUrls {
  readonly modelRegistry: string;
  readonly deploymentApproval: string;
  readonly usageEvents: string;
  readonly ledger: string;
}

export const people = {
  vendorLead: { organisationId: 'acme-clinical-ai', personId: 'psn_acme_reg_lead', role: 'vendor-admin' },
  wardManager: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_wardmgr_07', role: 'employer-requester' },
  safetyOfficer: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_cso_00001', role: 'employer-approver' },
  digitalLead: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_digital_01', role: 'employer-admin' },
  eprSystem: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_epr_system', role: 'clinical-system' },
  investigator: { organisationId: 'patient-safety-investigations', personId: 'psn_psi_invest_01', role: 'investigator' },
  auditor: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_audit_0001', role: 'auditor' },
} satisfies Record<string, Caller>;

/** Mints a bearer token for a person acting in their role (the development identity provider, or the test one). */
export type TokenSource = (caller: Caller) => Promise<string>;

export const professionals = {
  trainedNurse: { personId: 'psn_sw_nurse_0042', role: 'staff-nurse' },
  untrainedNurse: { personId: 'psn_sw_nurse_0077', role: 'staff-nurse' },
  nurseInCharge: { personId: 'psn_sw_nic_000003', role: 'nurse-in-charge' },
};

export interface DemoResult {
  readonly modelId: string;
  readonly versionId: string;
  readonly deploymentId: string;
  readonly outputs: { accepted: string; overridden: string; quickAccept: string };
  /** The incident reported about the overridden output, and the referral of it to the investigators. */
  readonly incidentId: string;
  readonly mandateId: string;
}

type Step = (message: string) => void;

async function sendAs<T = any>(
  tokens: TokenSource,
  base: string,
  method: string,
  path: string,
  caller: Caller,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${await tokens(caller)}` };
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${base}${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Refusals that mean "the events saying so have not reached this service yet": deployment-approval
 * learns versions from model-registry's topic, usage-events deployments from deployment-approval's,
 * the ledger incidents from usage-events'.
 */
export const NOT_YET_KNOWN = ['DEPLOYMENT.UNKNOWN_VERSION', 'OUTPUT.UNKNOWN_DEPLOYMENT', 'INCIDENT.NOT_FOUND'] as const;

/**
 * Retries `attempt` while it fails with one of the NOT_YET_KNOWN codes (in the error's message or
 * in the `code` of an answer it returns), for at most `timeoutMs`; then returns or throws the last outcome.
 */
export async function untilKnown<T>(attempt: () => Promise<T>, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const notYetKnown = (text: string | undefined) => NOT_YET_KNOWN.some((code) => text?.includes(code));
  for (;;) {
    let result: T;
    try {
      result = await attempt();
    } catch (err) {
      if (!notYetKnown((err as Error).message) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    const code = (result as { body?: { code?: unknown } } | undefined)?.body?.code;
    if (!notYetKnown(typeof code === 'string' ? code : undefined) || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const digest = (label: string) => `sha256:${Buffer.from(label.padEnd(32, '.')).toString('hex').slice(0, 64)}`;

export async function playDemoScenario(urls: ServiceUrls, tokens: TokenSource, step: Step = () => undefined): Promise<DemoResult> {
  const send = <T = any>(base: string, method: string, path: string, caller: Caller, body?: unknown) =>
    sendAs<T>(tokens, base, method, path, caller, body);
  // Everything happens in real time, in order: the ledger judges each output as of the moment it
  // was generated, so the version, approval and policy must already exist then.
  const now = new Date();
  const stamp = () => new Date().toISOString();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  const run = randomBytes(3).toString('hex');

  const model = await send(urls.modelRegistry, 'POST', '/models', people.vendorLead, {
    name: 'SepsisWatch Early Warning',
    intendedPurpose: 'Flags adult inpatients at risk of sepsis from routine observations, to prompt clinical review.',
    riskClass: 'uk-mdr-class-iia',
    manufacturerSafetyOfficer: 'psn_acme_cso_0001',
  });
  step(`vendor acme-clinical-ai registered model ${model.modelId} (SepsisWatch Early Warning)`);

  const released = await send(urls.modelRegistry, 'POST', `/models/${model.modelId}/versions`, people.vendorLead, {
    version: '2.1.0',
    artifactDigest: digest(`sepsiswatch-2.1.0-${run}`),
    intendedUse: 'Adult general and acute medical wards; advisory decision support alongside NEWS2.',
    contraindications: [
      { code: 'acme:under-18', text: 'Patients under 18' },
      { code: 'acme:maternity', text: 'Maternity and obstetric care' },
    ],
    intendedPopulation: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], text: 'Adult inpatients on general and acute medical wards.' },
    knownLimitations: ['Lower sensitivity in patients on beta blockers', 'Not validated for patients with chronic kidney disease stage 5'],
    evidenceRefs: ['clinical-evaluation-report CER-2026-07', 'doi:10.1000/sepsiswatch.validation.2026'],
    hazardLogRef: 'ACME-HL-112',
    instructionsForUseVersion: 'IFU 2.1',
  });
  const versionId = (Object.values(released.versions) as Array<{ versionId: string; version: string }>).find(
    (v) => v.version === '2.1.0',
  )!.versionId;
  step(`vendor released version 2.1.0 (${versionId})`);

  const requested = await send(urls.deploymentApproval, 'POST', '/deployments', people.wardManager, {
    modelId: model.modelId,
    versionId,
    setting: { sites: ['ward-7a', 'ward-7b'], services: ['Acute medicine'], roles: ['staff-nurse', 'nurse-in-charge'] },
    intendedUse: 'Sepsis early warning on acute medical wards 7A and 7B, advisory.',
  });
  const deploymentId = requested.deploymentId as string;
  step(`St Swithin's ward manager requested deployment ${deploymentId} on wards 7A and 7B`);

  // deployment-approval learns of the release from Kafka, a moment after model-registry accepted it.
  await untilKnown(() =>
    send(urls.deploymentApproval, 'POST', `/deployments/${deploymentId}/approval`, people.safetyOfficer, {
      conditions: ['Outputs are advisory; NEWS2 escalation remains the standard', 'Audit of overrides after 3 months'],
      hazardLogRef: 'SW-DCB0160-HL-031',
      reviewDate: new Date(now.getTime() + 365 * 86_400_000).toISOString().slice(0, 10),
      scope: {
        sites: ['ward-7a', 'ward-7b'],
        services: ['Acute medicine'],
        roles: ['staff-nurse', 'nurse-in-charge'],
        population: {
          ageBands: ['18-39', '40-64', '65-79', '80-plus'],
          excludedContraindicationCodes: ['acme:under-18', 'acme:maternity'],
        },
        uses: ['advisory'],
      },
    }),
  );
  step('clinical safety officer approved it for wards 7A and 7B, adults, advisory use (DCB0160 hazard log SW-DCB0160-HL-031)');

  await send(urls.deploymentApproval, 'POST', `/deployments/${deploymentId}/activation`, people.digitalLead, {
    sites: ['ward-7a', 'ward-7b'],
  });
  step('digital lead put it live on both wards');

  await send(urls.deploymentApproval, 'POST', `/deployments/${deploymentId}/usage-policies`, people.digitalLead, {
    use: 'advisory',
    roles: ['staff-nurse', 'nurse-in-charge'],
    sites: ['ward-7a', 'ward-7b'],
    humanReviewRequired: true,
    minimumReviewSeconds: 60,
    effectiveFrom: stamp(),
    summary: 'Review every SepsisWatch alert against observations before acting; record a rationale when overriding.',
  });
  await send(urls.deploymentApproval, 'POST', '/training-records', people.digitalLead, {
    professionalId: professionals.trainedNurse.personId,
    deploymentId,
    course: 'SepsisWatch essentials (e-learning, 45 min)',
    completedAt: daysAgo(7),
  });
  step('usage policy issued (advisory, human review, at least 60 s per alert); training recorded for one nurse');

  const outputs = { accepted: `sw-ews-${run}-001`, overridden: `sw-ews-${run}-002`, quickAccept: `sw-ews-${run}-003` };
  // usage-events learns of the deployment from Kafka too, a moment after deployment-approval recorded it.
  const generate = (outputId: string, site: string, subjectRef: string, summary: string) =>
    untilKnown(() =>
      send(urls.usageEvents, 'POST', '/outputs', people.eprSystem, {
        outputId,
        deploymentId,
        modelId: model.modelId,
        versionId,
        subjectRef,
        site,
        summary,
        outputDigest: digest(`${outputId}`),
        occurredAt: stamp(),
      }),
    );
  const present = (outputId: string, professional: { personId: string; role: string }, site: string) =>
    send(urls.usageEvents, 'POST', `/outputs/${outputId}/presentations`, people.eprSystem, { professional, site, occurredAt: stamp() });
  const act = (outputId: string, professional: { personId: string; role: string }, body: Record<string, unknown>) =>
    send(urls.usageEvents, 'POST', `/outputs/${outputId}/actions`, people.eprSystem, { professional, ...body, occurredAt: stamp() });

  await generate(outputs.accepted, 'ward-7a', 'psn_subj_7a_0193', 'sepsis risk: high (score 8)');
  await present(outputs.accepted, professionals.trainedNurse, 'ward-7a');
  await act(outputs.accepted, professionals.trainedNurse, {
    action: 'accepted',
    rationale: 'Agrees with NEWS2 of 6; sepsis screen started.',
    reviewDurationSeconds: 140,
  });
  step(`output ${outputs.accepted}: shown to a trained nurse on 7A and accepted after 140 s`);

  await generate(outputs.overridden, 'ward-7b', 'psn_subj_7b_0457', 'sepsis risk: high (score 7)');
  await present(outputs.overridden, professionals.untrainedNurse, 'ward-7b');
  await send(urls.usageEvents, 'POST', '/instructions', people.eprSystem, {
    instructor: professionals.nurseInCharge,
    professionalId: professionals.untrainedNurse.personId,
    kind: 'use-ai',
    outputId: outputs.overridden,
    note: 'Asked to check the SepsisWatch alert before the evening round.',
    occurredAt: stamp(),
  });
  await act(outputs.overridden, professionals.untrainedNurse, {
    action: 'overridden',
    rationale: 'Tachycardia explained by recent surgery and pain; no other sepsis signs. Observations repeated in 1 h.',
    reviewDurationSeconds: 95,
  });
  step(
    `output ${outputs.overridden}: shown on 7B to a nurse with no recorded training, instructed by the nurse in charge, overridden with a rationale`,
  );

  await generate(outputs.quickAccept, 'ward-7a', 'psn_subj_7a_0222', 'sepsis risk: moderate (score 5)');
  await present(outputs.quickAccept, professionals.trainedNurse, 'ward-7a');
  await act(outputs.quickAccept, professionals.trainedNurse, { action: 'accepted', reviewDurationSeconds: 20 });
  step(`output ${outputs.quickAccept}: accepted after a 20 s review (the policy asks for 60 s)`);

  const incident = await send(urls.usageEvents, 'POST', '/incidents', people.eprSystem, {
    outputIds: [outputs.overridden],
    harmReference: `LFPSE-2026-${run}`,
    severity: 'moderate',
    occurredAt: stamp(),
  });
  step(`St Swithin's reported incident ${incident.incidentId} about output ${outputs.overridden}`);
  // The ledger learns of the incident from usage-events' topic, a moment after it was reported.
  const referral = await untilKnown(() =>
    send(urls.ledger, 'POST', '/mandates', people.safetyOfficer, {
      kind: 'incident-referral',
      investigatingOrganisationId: people.investigator.organisationId,
      scope: { kind: 'incident', incidentId: incident.incidentId },
      reference: `Patient safety referral SW-PSIRF-${run}`,
    }),
  );
  step(
    `St Swithin's clinical safety officer referred the incident to ${people.investigator.organisationId} (mandate ${referral.mandateId}): its investigator may now open a case on it`,
  );

  return { modelId: model.modelId, versionId, deploymentId, outputs, incidentId: incident.incidentId, mandateId: referral.mandateId };
}

/** Polls the ledger until the output's chain includes what the clinical system reported. */
export async function waitForAccountability(ledgerUrl: string, outputId: string, tokens: TokenSource, timeoutMs = 60000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  const authorization = `Bearer ${await tokens(people.auditor)}`;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(`${ledgerUrl}/outputs/${encodeURIComponent(outputId)}/accountability`, { headers: { authorization } });
    const body: any = await res.json().catch(() => undefined);
    if (res.ok && body?.actedOn?.actions?.length > 0) return body;
    last = `${res.status} ${JSON.stringify(body).slice(0, 200)}`;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the ledger did not show the chain of ${outputId} within ${timeoutMs} ms (last answer ${last})`);
}
