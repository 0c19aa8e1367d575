import type { OversightBucket } from '@aal/accountability';
import { answerOf, serviceClient, type ServiceClient, type ServiceName, type ServicePaths } from '@aal/client';
import type { Caller } from '@aal/http';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The realistic demo scenario, played through the public HTTP APIs of the producer services and
 * read back from the ledger, every call made with the typed client (`@aal/client`: paths, bodies
 * and answers from the services' OpenAPI documents). Used by `npm run demo` and by the end-to-end tests.
 *
 * A vendor registers a sepsis early-warning model and releases a version; a hospital's ward
 * manager requests its deployment on wards 7A and 7B, its clinical safety officer approves it for
 * ward 7A only (a structured scope), and it is activated on 7A with an advisory usage policy and one
 * nurse's training recorded. Three outputs are generated, shown and acted on: one accepted on 7A,
 * one overridden on 7B — where the EPR also shows it, though it was never approved there — after a
 * supervisor's instruction, one accepted on 7A after a review shorter than the policy minimum. The
 * hospital reports an incident about the overridden output and its clinical safety officer refers
 * it to the patient-safety investigators: the mandate under which their investigator opens a case.
 * Then the EPR sends, in one batch, its record of the four ISO weeks before this one on ward 7A:
 * outputs per nurse rise week by week while review times fall below the policy minimum (BUSY_MONTH).
 * A patient's representative raises a concern through the hospital's patient experience team
 * that the alerts miss sepsis more often in one group; the hospital and the vendor acknowledge it,
 * the hospital answers it in time and the vendor only after its due date (the demo's concerns
 * service gives a high concern seconds, not days: DEMO_CONCERN_DUE_PERIODS). The hospital's clinical safety officer classifies the reported incident
 * as serious harm to health, aware since the morning, and informs the vendor within the day; the
 * vendor records when it became aware, and its reports to the market surveillance authority and to
 * the MHRA (SepsisWatch is a UK MDR class IIa device) fall due (docs/incidents.md).
 */
export interface ServiceUrls {
  readonly modelRegistry: string;
  readonly deploymentApproval: string;
  readonly usageEvents: string;
  readonly concerns: string;
  readonly incidents: string;
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
  patientExperience: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_pals_00001', role: 'concern-intake' },
  vendorSafety: { organisationId: 'acme-clinical-ai', personId: 'psn_acme_cso_0001', role: 'vendor-safety-officer' },
} satisfies Record<string, Caller>;

/**
 * The due periods the demo runs the concerns service with (scripts/stack.sh exports them; the tests
 * that play the demo start the service with them): a high concern must be acknowledged within 20 s
 * and answered within 30 s of intake, so that an answer can be late within one run. The service's
 * defaults (2 and 14 days for a high concern, docs/concerns.md) apply everywhere else.
 */
export const DEMO_CONCERN_DUE_PERIODS = { CONCERN_ACKNOWLEDGE_WITHIN: 'high=PT20S', CONCERN_ANSWER_WITHIN: 'high=PT30S' } as const;

/**
 * The longest the demo waits for the concern's answer to fall due before the vendor answers it. A
 * concerns service with longer periods (the defaults) gets the vendor's answer at once, in time,
 * and the demo says so rather than invent a time.
 */
export const LATE_ANSWER_WAIT_LIMIT_MS = 90_000;

/** Mints a bearer token for a person acting in their role (the development identity provider, or the test one). */
export type TokenSource = (caller: Caller) => Promise<string>;

export const professionals = {
  trainedNurse: { personId: 'psn_sw_nurse_0042', role: 'staff-nurse' },
  untrainedNurse: { personId: 'psn_sw_nurse_0077', role: 'staff-nurse' },
  nurseInCharge: { personId: 'psn_sw_nic_000003', role: 'nurse-in-charge' },
};

/** The ward the deployment is approved, activated and given a usage policy for; the overridden output is on the other one. */
export const APPROVED_SITE = 'ward-7a';
export const UNAPPROVED_SITE = 'ward-7b';
/** The usage policy's minimum review time, in seconds. */
export const MINIMUM_REVIEW_SECONDS = 60;

/**
 * The busy month on ward 7A, one row per ISO week (the four weeks before the demo's own week):
 * outputs generated, the nurses who acted on them, and the median review time the durations are
 * drawn around (log-normal, fixed seed, so the figures are the same in every run). Outputs per
 * nurse rise (10, 13, 16.5, 21) while the median review falls from well above the 60 s minimum to
 * well below it.
 */
export const BUSY_MONTH = [
  { outputs: 40, nurses: 4, medianReviewSeconds: 140 },
  { outputs: 52, nurses: 4, medianReviewSeconds: 100 },
  { outputs: 66, nurses: 4, medianReviewSeconds: 52 },
  { outputs: 84, nurses: 4, medianReviewSeconds: 34 },
] as const;

/** The nurses of the busy month (staff nurses on ward 7A). */
export const monthNurse = (k: number) => ({ personId: `psn_sw_nurse_01${String(k).padStart(2, '0')}`, role: 'staff-nurse' });

export interface DemoResult {
  readonly modelId: string;
  readonly versionId: string;
  readonly deploymentId: string;
  readonly outputs: { accepted: string; overridden: string; quickAccept: string };
  /** The incident reported about the overridden output, and the referral of it to the investigators. */
  readonly incidentId: string;
  readonly mandateId: string;
  /** The concern raised about the deployment, and the path of its receipt (a capability URL on the concerns service). */
  readonly concernId: string;
  readonly receiptPath: string;
  /** When the concern was due for an answer, and whether the vendor answered after that (false when the service's periods are longer than the demo waits). */
  readonly concernAnswerBy: string;
  readonly vendorAnsweredLate: boolean;
  /** When the hospital became aware of the incident it classified as serious harm (its reporting clock starts there). */
  readonly incidentAwareAt: string;
  /** The busy month: its first and last UTC day (Monday to Sunday) and how many outputs and actions it holds. */
  readonly month: { readonly from: string; readonly to: string; readonly outputs: number; readonly actions: number };
}

type Step = (message: string) => void;

/** Which of ServiceUrls each service is at. */
const URL_OF = {
  'model-registry': 'modelRegistry',
  'deployment-approval': 'deploymentApproval',
  'usage-events': 'usageEvents',
  concerns: 'concerns',
  incidents: 'incidents',
  ledger: 'ledger',
} as const satisfies Record<ServiceName, keyof ServiceUrls>;

/** The typed client of `service` (libs/client) whose requests carry `caller`'s token. */
function clientAs<S extends ServiceName>(urls: ServiceUrls, tokens: TokenSource, service: S, caller: Caller): ServiceClient<S> {
  return serviceClient(service, urls[URL_OF[service]], () => tokens(caller));
}

/** The JSON body of a service's POST `path`, as its OpenAPI document types it. */
type JsonBody<S extends ServiceName, P extends keyof ServicePaths[S]> = ServicePaths[S][P] extends {
  post: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;

/** The provider notice an incident's answer records (the incidents service answers a notice with it). */
function providerInformed(incident: { providerInformed?: { madeAt: string } }): { madeAt: string } {
  if (!incident.providerInformed) throw new Error(`the answer to a provider notice records none: ${JSON.stringify(incident)}`);
  return incident.providerInformed;
}

/**
 * Refusals that mean "the events saying so have not reached this service yet": deployment-approval
 * learns versions from model-registry's topic, usage-events deployments from deployment-approval's,
 * the ledger incidents from usage-events', concerns and incidents deployments from deployment-approval's.
 */
export const NOT_YET_KNOWN = [
  'DEPLOYMENT.UNKNOWN_VERSION',
  'OUTPUT.UNKNOWN_DEPLOYMENT',
  'INCIDENT.NOT_FOUND',
  'CONCERN.UNKNOWN_DEPLOYMENT',
  'INCIDENT.UNKNOWN_DEPLOYMENT',
] as const;

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
  const as = <S extends ServiceName>(service: S, caller: Caller) => clientAs(urls, tokens, service, caller);
  // Everything happens in real time, in order: the ledger judges each output as of the moment it
  // was generated, so the version, approval and policy must already exist then.
  const now = new Date();
  const stamp = () => new Date().toISOString();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  const run = randomBytes(3).toString('hex');
  const month = busyMonthDays(now);

  const model = await answerOf(
    as('model-registry', people.vendorLead).POST('/models', {
      body: {
        name: 'SepsisWatch Early Warning',
        intendedPurpose: 'Flags adult inpatients at risk of sepsis from routine observations, to prompt clinical review.',
        riskClass: 'uk-mdr-class-iia',
        manufacturerSafetyOfficer: 'psn_acme_cso_0001',
      },
    }),
  );
  step(`vendor acme-clinical-ai registered model ${model.modelId} (SepsisWatch Early Warning)`);

  const released = await answerOf(
    as('model-registry', people.vendorLead).POST('/models/{modelId}/versions', {
      params: { path: { modelId: model.modelId } },
      body: {
        version: '2.1.0',
        artifactDigest: digest(`sepsiswatch-2.1.0-${run}`),
        intendedUse: 'Adult general and acute medical wards; advisory decision support alongside NEWS2.',
        contraindications: [
          { code: 'acme:under-18', text: 'Patients under 18' },
          { code: 'acme:maternity', text: 'Maternity and obstetric care' },
        ],
        intendedPopulation: {
          ageBands: ['18-39', '40-64', '65-79', '80-plus'],
          text: 'Adult inpatients on general and acute medical wards.',
        },
        knownLimitations: [
          'Lower sensitivity in patients on beta blockers',
          'Not validated for patients with chronic kidney disease stage 5',
        ],
        evidenceRefs: ['clinical-evaluation-report CER-2026-07', 'doi:10.1000/sepsiswatch.validation.2026'],
        hazardLogRef: 'ACME-HL-112',
        instructionsForUseVersion: 'IFU 2.1',
      },
    }),
  );
  const versionId = Object.values(released.versions).find((v) => v.version === '2.1.0')!.versionId;
  step(`vendor released version 2.1.0 (${versionId})`);

  const requested = await answerOf(
    as('deployment-approval', people.wardManager).POST('/deployments', {
      body: {
        modelId: model.modelId,
        versionId,
        setting: { sites: ['ward-7a', 'ward-7b'], services: ['Acute medicine'], roles: ['staff-nurse', 'nurse-in-charge'] },
        intendedUse: 'Sepsis early warning on acute medical wards 7A and 7B, advisory.',
      },
    }),
  );
  const deploymentId = requested.deploymentId;
  step(`St Swithin's ward manager requested deployment ${deploymentId} on wards 7A and 7B`);

  // deployment-approval learns of the release from Kafka, a moment after model-registry accepted it.
  await untilKnown(() =>
    answerOf(
      as('deployment-approval', people.safetyOfficer).POST('/deployments/{deploymentId}/approval', {
        params: { path: { deploymentId } },
        body: {
          conditions: [
            'Ward 7A only until the first review',
            'Outputs are advisory; NEWS2 escalation remains the standard',
            'Audit of overrides after 3 months',
          ],
          hazardLogRef: 'SW-DCB0160-HL-031',
          reviewDate: new Date(now.getTime() + 365 * 86_400_000).toISOString().slice(0, 10),
          scope: {
            sites: [APPROVED_SITE],
            services: ['Acute medicine'],
            roles: ['staff-nurse', 'nurse-in-charge'],
            population: {
              ageBands: ['18-39', '40-64', '65-79', '80-plus'],
              excludedContraindicationCodes: ['acme:under-18', 'acme:maternity'],
            },
            uses: ['advisory'],
          },
        },
      }),
    ),
  );
  step(
    'clinical safety officer approved it for ward 7A only (a structured scope: site, service, roles, adults, advisory use; DCB0160 hazard log SW-DCB0160-HL-031)',
  );

  await answerOf(
    as('deployment-approval', people.digitalLead).POST('/deployments/{deploymentId}/activation', {
      params: { path: { deploymentId } },
      body: {
        sites: [APPROVED_SITE],
      },
    }),
  );
  step('digital lead put it live on ward 7A (deployment-approval would refuse 7B: it is outside the approved scope)');

  await answerOf(
    as('deployment-approval', people.digitalLead).POST('/deployments/{deploymentId}/usage-policies', {
      params: { path: { deploymentId } },
      body: {
        use: 'advisory',
        roles: ['staff-nurse', 'nurse-in-charge'],
        sites: [APPROVED_SITE],
        humanReviewRequired: true,
        minimumReviewSeconds: MINIMUM_REVIEW_SECONDS,
        // In force since the start of the busy month, whose record the EPR sends at the end.
        effectiveFrom: `${month.from}T00:00:00.000Z`,
        summary: 'Review every SepsisWatch alert against observations before acting; record a rationale when overriding.',
      },
    }),
  );
  await answerOf(
    as('deployment-approval', people.digitalLead).POST('/training-records', {
      body: {
        professionalId: professionals.trainedNurse.personId,
        deploymentId,
        course: 'SepsisWatch essentials (e-learning, 45 min)',
        completedAt: daysAgo(7),
      },
    }),
  );
  step(
    `usage policy issued for ward 7A since ${month.from} (advisory, human review, at least 60 s per alert); training recorded for one nurse`,
  );

  const outputs = { accepted: `sw-ews-${run}-001`, overridden: `sw-ews-${run}-002`, quickAccept: `sw-ews-${run}-003` };
  // usage-events learns of the deployment from Kafka too, a moment after deployment-approval recorded it.
  const generate = (outputId: string, site: string, subjectRef: string, summary: string) =>
    untilKnown(() =>
      answerOf(
        as('usage-events', people.eprSystem).POST('/outputs', {
          body: {
            outputId,
            deploymentId,
            modelId: model.modelId,
            versionId,
            subjectRef,
            site,
            summary,
            outputDigest: digest(`${outputId}`),
            occurredAt: stamp(),
          },
        }),
      ),
    );
  const present = (outputId: string, professional: { personId: string; role: string }, site: string) =>
    answerOf(
      as('usage-events', people.eprSystem).POST('/outputs/{outputId}/presentations', {
        params: { path: { outputId } },
        body: { professional, site, occurredAt: stamp() },
      }),
    );
  const act = (
    outputId: string,
    professional: { personId: string; role: string },
    body: Omit<JsonBody<'usage-events', '/outputs/{outputId}/actions'>, 'professional' | 'occurredAt'>,
  ) =>
    answerOf(
      as('usage-events', people.eprSystem).POST('/outputs/{outputId}/actions', {
        params: { path: { outputId } },
        body: { professional, ...body, occurredAt: stamp() },
      }),
    );

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
  await answerOf(
    as('usage-events', people.eprSystem).POST('/instructions', {
      body: {
        instructor: professionals.nurseInCharge,
        professionalId: professionals.untrainedNurse.personId,
        kind: 'use-ai',
        outputId: outputs.overridden,
        note: 'Asked to check the SepsisWatch alert before the evening round.',
        occurredAt: stamp(),
      },
    }),
  );
  await act(outputs.overridden, professionals.untrainedNurse, {
    action: 'overridden',
    rationale: 'Tachycardia explained by recent surgery and pain; no other sepsis signs. Observations repeated in 1 h.',
    reviewDurationSeconds: 95,
  });
  step(
    `output ${outputs.overridden}: reported by the EPR on 7B (not in the approved scope), shown to a nurse with no recorded training, instructed by the nurse in charge, overridden with a rationale`,
  );

  await generate(outputs.quickAccept, 'ward-7a', 'psn_subj_7a_0222', 'sepsis risk: moderate (score 5)');
  await present(outputs.quickAccept, professionals.trainedNurse, 'ward-7a');
  await act(outputs.quickAccept, professionals.trainedNurse, { action: 'accepted', reviewDurationSeconds: 20 });
  step(`output ${outputs.quickAccept}: accepted after a 20 s review (the policy asks for 60 s)`);

  const incident = await answerOf(
    as('usage-events', people.eprSystem).POST('/incidents', {
      body: {
        outputIds: [outputs.overridden],
        harmReference: `LFPSE-2026-${run}`,
        severity: 'moderate',
        occurredAt: stamp(),
      },
    }),
  );
  step(`St Swithin's reported incident ${incident.incidentId} about output ${outputs.overridden}`);
  // The ledger learns of the incident from usage-events' topic, a moment after it was reported.
  const referral = await untilKnown(() =>
    answerOf(
      as('ledger', people.safetyOfficer).POST('/mandates', {
        body: {
          kind: 'incident-referral',
          investigatingOrganisationId: people.investigator.organisationId,
          scope: { kind: 'incident', incidentId: incident.incidentId },
          reference: `Patient safety referral SW-PSIRF-${run}`,
        },
      }),
    ),
  );
  step(
    `St Swithin's clinical safety officer referred the incident to ${people.investigator.organisationId} (mandate ${referral.mandateId}): its investigator may now open a case on it`,
  );

  // The concerns service learns of the deployment from Kafka too.
  const concern = await untilKnown(() =>
    answerOf(
      as('concerns', people.patientExperience).POST('/concerns', {
        body: {
          about: { kind: 'deployment', deploymentId },
          category: 'bias-or-unequal-performance',
          description:
            'A patient representative reports that SepsisWatch alerts seem to come later, or not at all, for patients with darker skin on ward 7B, where pulse oximetry readings are relied on.',
          severity: 'high',
          raisedBy: 'patient-or-representative',
          addressees: 'both',
        },
      }),
    ),
  );
  step(
    `a patient's representative raised concern ${concern.concernId} (lower sensitivity in one group, severity high) through St Swithin's; due for acknowledgement by ${concern.acknowledgeBy}, an answer by ${concern.answerBy}`,
  );
  await answerOf(
    as('concerns', people.digitalLead).POST('/concerns/{concernId}/acknowledgements', {
      params: { path: { concernId: concern.concernId } },
      body: {},
    }),
  );
  await answerOf(
    as('concerns', people.vendorSafety).POST('/concerns/{concernId}/acknowledgements', {
      params: { path: { concernId: concern.concernId } },
      body: {},
    }),
  );
  await answerOf(
    as('concerns', people.digitalLead).POST('/concerns/{concernId}/answers', {
      params: { path: { concernId: concern.concernId } },
      body: {
        answer: 'mitigation-in-place',
        reference: 'SW-DCB0160-HL-031 rev 2: on ward 7B sepsis screening on NEWS2 alone until the vendor reports on subgroup sensitivity',
      },
    }),
  );
  step('the hospital and the vendor acknowledged it; the hospital answered in time (mitigation in place); the vendor has yet to answer');
  // The same incident id as the EPR's report links the classification to it in the ledger.
  const incidentAwareAt = new Date(now.getTime() - 6 * 3_600_000).toISOString();
  await untilKnown(() =>
    answerOf(
      as('incidents', people.safetyOfficer).POST('/incidents', {
        body: {
          incidentId: incident.incidentId,
          deploymentId,
          classification: 'serious-harm-to-health',
          awareAt: incidentAwareAt,
          outputIds: [outputs.overridden],
          harmReference: `LFPSE-2026-${run}; StEIS 2026/${run}`,
        },
      }),
    ),
  );
  const informed = await answerOf(
    as('incidents', people.safetyOfficer).POST('/incidents/{incidentId}/provider-notices', {
      params: { path: { incidentId: incident.incidentId } },
      body: {
        reference: `Vigilance notice SW-INC-${run} to acme-clinical-ai`,
      },
    }),
  );
  // The vendor became aware when the hospital's notice reached it.
  await answerOf(
    as('incidents', people.vendorSafety).POST('/incidents/{incidentId}/provider-awareness', {
      params: { path: { incidentId: incident.incidentId } },
      body: { awareAt: providerInformed(informed).madeAt },
    }),
  );
  step(
    `St Swithin's clinical safety officer classified incident ${incident.incidentId} as serious harm to health (aware since ${incidentAwareAt}) and informed the vendor; the vendor recorded its awareness: its reports to the authorities are now due`,
  );
  const items = busyMonthItems({ deploymentId, modelId: model.modelId, versionId, run, firstMonday: month.from });
  await answerOf(
    as('usage-events', people.eprSystem).POST('/batches', {
      // The document gives an item's body no members (it is the single endpoint's body, by kind).
      body: { items: items as unknown as JsonBody<'usage-events', '/batches'>['items'] },
    }),
  );
  const generated = items.filter((i) => i.kind === 'output.generated').length;
  const actedOn = items.filter((i) => i.kind === 'output.acted-on').length;
  step(
    `the EPR sent in one batch (POST /batches) its record of ward 7A from ${month.from} to ${month.to}: ${generated} outputs generated, presented and acted on by ${BUSY_MONTH[0].nurses} nurses, back-dated to when they happened`,
  );

  const vendorAnsweredLate = await answerAfterDueDate(concern.answerBy, () =>
    answerOf(
      as('concerns', people.vendorSafety).POST('/concerns/{concernId}/answers', {
        params: { path: { concernId: concern.concernId } },
        body: {
          answer: 'mitigation-in-place',
          reference: 'ACME-HL-112 rev 4: subgroup sensitivity audit opened; IFU 2.1 limitation on low perfusion readings added',
        },
      }),
    ),
  );
  step(
    vendorAnsweredLate
      ? `the vendor answered the concern (mitigation in place) after its due date ${concern.answerBy}, which the demo waited for: late (the demo's concerns service runs with CONCERN_ANSWER_WITHIN=${DEMO_CONCERN_DUE_PERIODS.CONCERN_ANSWER_WITHIN}; the times are the service's own clock)`
      : `the vendor answered the concern (mitigation in place) before its due date ${concern.answerBy}, which is more than ${LATE_ANSWER_WAIT_LIMIT_MS / 1000} s away: this concerns service does not run with the demo's short periods (${Object.entries(
          DEMO_CONCERN_DUE_PERIODS,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}), so no answer is late`,
  );

  return {
    modelId: model.modelId,
    versionId,
    deploymentId,
    outputs,
    incidentId: incident.incidentId,
    mandateId: referral.mandateId,
    concernId: concern.concernId,
    receiptPath: concern.receipt.url,
    concernAnswerBy: concern.answerBy,
    vendorAnsweredLate,
    incidentAwareAt,
    month: { ...month, outputs: generated, actions: actedOn },
  };
}

/**
 * Makes the answer with `answer` once `answerBy` has passed, waiting for it when it is at most
 * LATE_ANSWER_WAIT_LIMIT_MS away, at once otherwise; true when the answer was made after `answerBy`
 * (by this machine's clock, a second's margin kept for the service's).
 */
async function answerAfterDueDate(answerBy: string, answer: () => Promise<unknown>): Promise<boolean> {
  const wait = Date.parse(answerBy) + 1000 - Date.now();
  const late = wait <= LATE_ANSWER_WAIT_LIMIT_MS;
  if (late && wait > 0) await new Promise((r) => setTimeout(r, wait));
  await answer();
  return late;
}

const DAY_MS = 86_400_000;

/** The busy month's days: Monday four ISO weeks before the week of `now`, to the Sunday before that week. */
export function busyMonthDays(now: Date): { from: string; to: string } {
  const today = Date.parse(now.toISOString().slice(0, 10));
  const thisMonday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(thisMonday - BUSY_MONTH.length * 7 * DAY_MS), to: day(thisMonday - DAY_MS) };
}

/** A small seeded generator (mulberry32): the same durations in every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The items of the busy month's batch: for each week of BUSY_MONTH, its outputs spread over the
 * seven days between 07:00 and 21:00 UTC, each presented to one of the nurses 20 s after it was
 * generated and acted on after a review drawn around the week's median (one in ten overridden with
 * a rationale, the others accepted).
 */
export function busyMonthItems(ids: {
  deploymentId: string;
  modelId: string;
  versionId: string;
  run: string;
  firstMonday: string;
}): Array<{ kind: 'output.generated' | 'output.presented' | 'output.acted-on'; body: Record<string, unknown> }> {
  const random = seeded(14);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const generated: Array<{ kind: 'output.generated'; body: Record<string, unknown> }> = [];
  const followUps: Array<{ kind: 'output.presented' | 'output.acted-on'; body: Record<string, unknown> }> = [];
  let n = 0;
  BUSY_MONTH.forEach((week, w) => {
    const monday = Date.parse(`${ids.firstMonday}T00:00:00Z`) + w * 7 * DAY_MS;
    for (let i = 0; i < week.outputs; i++, n++) {
      const at = monday + (i % 7) * DAY_MS + 7 * 3_600_000 + Math.floor((i / week.outputs) * 14 * 3_600_000);
      const outputId = `sw-ews-${ids.run}-m${w + 1}-${String(i + 1).padStart(3, '0')}`;
      const nurse = monthNurse((i % week.nurses) + 1);
      const seconds = Math.min(600, Math.max(8, Math.round(week.medianReviewSeconds * Math.exp(0.35 * normal()))));
      const overridden = n % 10 === 9;
      const time = (offsetSeconds: number) => new Date(at + offsetSeconds * 1000).toISOString();
      generated.push({
        kind: 'output.generated',
        body: {
          outputId,
          deploymentId: ids.deploymentId,
          modelId: ids.modelId,
          versionId: ids.versionId,
          subjectRef: `psn_subj_7a_${String(1000 + n)}`,
          site: APPROVED_SITE,
          summary: overridden ? 'sepsis risk: high (score 7)' : 'sepsis risk: moderate (score 5)',
          outputDigest: `sha256:${createHash('sha256').update(outputId).digest('hex')}`,
          occurredAt: time(0),
        },
      });
      followUps.push(
        { kind: 'output.presented', body: { outputId, professional: nurse, site: APPROVED_SITE, occurredAt: time(20) } },
        {
          kind: 'output.acted-on',
          body: {
            outputId,
            professional: nurse,
            action: overridden ? 'overridden' : 'accepted',
            ...(overridden ? { rationale: 'Observations stable on repeat; no signs of infection.' } : {}),
            reviewDurationSeconds: seconds,
            occurredAt: time(20 + seconds),
          },
        },
      );
    }
  });
  return [...generated, ...followUps];
}

/** The busy month's weeks as a small table: volume per nurse against review time and the policy minimum. */
export function oversightTable(weeks: readonly OversightBucket[]): string {
  const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);
  const rows = [
    ['ISO week from', 'outputs', 'per nurse', 'p50 review', 'minimum', 'below minimum'],
    ...weeks.map((w) => [
      w.start.slice(0, 10),
      String(w.outputs),
      w.outputsPerProfessional === null ? '–' : String(w.outputsPerProfessional),
      w.reviewSeconds.p50 === null ? '–' : `${w.reviewSeconds.p50} s`,
      w.minimumReviewSeconds === null ? '–' : `${w.minimumReviewSeconds} s`,
      percent(w.shareBelowMinimum),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ')).join('\n');
}

/** The ledger's client as the hospital's auditor, who reads every answer the demo waits for. */
const auditorsLedger = (ledgerUrl: string, tokens: TokenSource) => serviceClient('ledger', ledgerUrl, () => tokens(people.auditor));

/** The busy month's oversight query: ISO weeks from its Monday to its Sunday. */
const oversightQuery = (result: DemoResult) => ({ bucket: 'week', from: result.month.from, to: result.month.to }) as const;

/** The busy month's oversight path, as the demo prints it. */
export const oversightPath = (result: DemoResult) =>
  `/deployments/${result.deploymentId}/oversight?${new URLSearchParams(oversightQuery(result))}`;

/**
 * Polls the ledger's oversight of the busy month (read as the hospital's auditor) until it counts
 * every action the batch reported; returns its weeks and deployment-level findings.
 */
export async function waitForOversight(
  ledgerUrl: string,
  result: DemoResult,
  tokens: TokenSource,
  timeoutMs = 60000,
): Promise<{ buckets: OversightBucket[]; findings: Array<{ code: string; title: string; statement: string }> }> {
  const deadline = Date.now() + timeoutMs;
  const ledger = auditorsLedger(ledgerUrl, tokens);
  const query = oversightQuery(result);
  let last = '';
  while (Date.now() < deadline) {
    const { data, response } = await ledger.GET('/deployments/{deploymentId}/oversight', {
      params: { path: { deploymentId: result.deploymentId }, query },
    });
    const counted = data ? data.buckets.reduce((sum, b) => sum + b.actions, 0) : -1;
    // The ledger's document leaves a bucket's other members open: they are @aal/accountability's OversightBucket.
    if (data && counted === result.month.actions) return { buckets: data.buckets as unknown as OversightBucket[], findings: data.findings };
    last = `${response.status}, ${counted} of ${result.month.actions} actions counted`;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the ledger's oversight of ${result.deploymentId} did not count the busy month within ${timeoutMs} ms (last: ${last})`);
}

// The three answers below are handed on as `any`: the ledger's OpenAPI document types only the
// members the polls test (`basis.seqs`, `status`, `actedOn.actions`, `findings`) and leaves the
// rest open (`[key: string]: unknown`), which the demo and its tests read.

/**
 * Polls the ledger until the incident's reporting clock rests on the demo's four entries (the
 * classification, the notice, the vendor's awareness, the model's registration); with `asOf`, the
 * clock as it will stand then (a moment past a deadline shows the report missing).
 */
export async function waitForIncidentClock(
  ledgerUrl: string,
  incidentId: string,
  tokens: TokenSource,
  asOf?: string,
  timeoutMs = 60000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  const ledger = auditorsLedger(ledgerUrl, tokens);
  const query = asOf === undefined ? {} : { asOf };
  let last = '';
  while (Date.now() < deadline) {
    const { data, error, response } = await ledger.GET('/incidents/{incidentId}/reporting-clock', {
      params: { path: { incidentId }, query },
    });
    if (data && data.basis.seqs.length >= 4) return data;
    last = `${response.status} ${JSON.stringify(data ?? error).slice(0, 200)}`;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the ledger did not show the reporting clock of incident ${incidentId} within ${timeoutMs} ms (last answer ${last})`);
}

/** Polls the ledger until its answer for the concern holds every addressee's answer (read as the hospital's auditor). */
export async function waitForConcernAnswered(ledgerUrl: string, concernId: string, tokens: TokenSource, timeoutMs = 60000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  const ledger = auditorsLedger(ledgerUrl, tokens);
  let last = '';
  while (Date.now() < deadline) {
    const { data, error, response } = await ledger.GET('/concerns/{concernId}/accountability', { params: { path: { concernId } } });
    if (data?.status === 'answered') return data;
    last = `${response.status} ${JSON.stringify(data ?? error).slice(0, 200)}`;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the ledger did not show concern ${concernId} answered within ${timeoutMs} ms (last answer ${last})`);
}

/** The ledger's answer for a concern in a few lines, as the demo prints it. */
export function concernLines(answer: any): string[] {
  const c = answer.concern;
  return [
    `taken in      ${c.happenedAt} by ${c.takenInBy.personId} (${c.takenInBy.role}) of ${c.intakeOrganisationId}: ${c.category}, severity ${c.severity}, raised by ${c.raisedBy} [entry ${c.evidence.join(', ')}]`,
    `due           acknowledgement by ${c.acknowledgeBy}, answer by ${c.answerBy} (stated in the signed concern.raised)`,
    ...answer.answers.map(
      (a: any) =>
        `answered      by the ${a.addressee.party} ${a.addressee.organisationId} at ${a.happenedAt}: ${a.answer} [entry ${a.evidence.join(', ')}]`,
    ),
    `findings      ${(answer.findings as Array<{ code: string; evidence: number[] }>).map((f) => `${f.code} [entries ${f.evidence.join(', ')}]`).join('; ') || 'none'}`,
    ...(answer.findings as Array<{ statement: string }>).map((f) => `  ${f.statement}`),
  ];
}

/** The reporting clock in a few lines, as the demo prints it. */
export function incidentClockLines(clock: any): string[] {
  const d = clock.deadlines;
  const notice = clock.providerNotice;
  return [
    `classified    ${clock.incident.classification} by ${clock.incident.classifiedBy.personId} (${clock.incident.classifiedBy.role}); deployer aware since ${clock.incident.awareAt} [entry ${clock.incident.evidence.join(', ')}]`,
    `rules         ${d.rules}; medical device: ${clock.medicalDevice.isMedicalDevice ? `yes (${clock.medicalDevice.riskClass})` : 'no'}`,
    `provider      informed at ${notice ? `${notice.madeAt} (${notice.reference}) [entry ${notice.evidence.join(', ')}]` : 'not yet'}, due by ${d.informProviderBy}; its clock runs from ${clock.providerAware?.at ?? 'not started'}`,
    `authority     EU AI Act Art. 73 report due by ${d.euAuthorityBy} (${d.euAiActDays} days); MHRA report due by ${d.mhraBy ?? 'n/a'} (${d.mhraDays ?? '-'} days, ${d.mhraCategory ?? 'n/a'})`,
    `reports made  ${clock.authorityReports.map((r: any) => `${r.authority} at ${r.madeAt} (${r.reference})`).join('; ') || 'none yet'}`,
    `findings      ${(clock.findings as Array<{ code: string; evidence: number[] }>).map((f) => `${f.code} [entries ${f.evidence.join(', ')}]`).join('; ') || 'none'}`,
  ];
}

/** Polls the ledger until the output's chain includes what the clinical system reported. */
export async function waitForAccountability(ledgerUrl: string, outputId: string, tokens: TokenSource, timeoutMs = 60000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  const ledger = auditorsLedger(ledgerUrl, tokens);
  let last = '';
  while (Date.now() < deadline) {
    const { data, error, response } = await ledger.GET('/outputs/{outputId}/accountability', { params: { path: { outputId } } });
    if (data && data.actedOn.actions.length > 0) return data;
    last = `${response.status} ${JSON.stringify(data ?? error).slice(0, 200)}`;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the ledger did not show the chain of ${outputId} within ${timeoutMs} ms (last answer ${last})`);
}
