import { Type, type Static } from '@sinclair/typebox';
import type { AccountabilityChain, Item } from './accountability-chain';
import { LATE_RECORDING_SECONDS } from './clocks';

/** Concerns of one category about one version taken in by this many organisations are a pattern worth a finding. */
export const REPEATED_CONCERN_ORGANISATIONS = 2;

/**
 * A finding code linked on one version or deployment by recommendations about this many different
 * incidents (or cases not about an incident) is a recurring pattern: the second time is already
 * "it happened again". Ledger configuration (RECURRING_PATTERN_INCIDENTS) may raise it.
 */
export const DEFAULT_RECURRING_PATTERN_INCIDENTS = 2;
import { instant } from './instants';
import type { ScopeCheckName } from './scope-checks';

/** Which part of the chain a finding is about. */
export type FindingPart =
  | 'built'
  | 'approved-and-deployed'
  | 'instructed'
  | 'acted-on'
  | 'record'
  | 'concern'
  | 'recommendation'
  | 'incident';

export interface FindingDefinition {
  readonly title: string;
  /** When the finding is made, worded as a fact (never as blame). */
  readonly description: string;
  readonly part: FindingPart;
}

/**
 * Every kind of finding, defined once: a stable code (never renamed; docs/findings.md is generated
 * from this), a title and a fact-worded description of when it is made. Order is the order in
 * which findings are listed in answers.
 */
export const FINDINGS = {
  'VERSION.NOT_APPROVED_FOR_DEPLOYMENT': {
    title: 'Version not approved for this deployment',
    description:
      'The output names a model version other than the one its deployment was requested and approved for, or the ledger holds no request or no approval for the deployment at `asOf`.',
    part: 'approved-and-deployed',
  },
  'VERSION.NOT_RELEASED_AT_TIME': {
    title: 'Version not released at the time',
    description:
      'At `asOf` the model version had been withdrawn by its vendor, had not yet been released, or the ledger holds no release of it.',
    part: 'built',
  },
  'DEPLOYMENT.NOT_ACTIVE_AT_TIME': {
    title: 'Deployment not active at the time',
    description:
      'At `asOf` the deployment was not active: suspended, revoked, expired, never activated, or unknown to the ledger. Decisions count from their effective time, in the order they were made.',
    part: 'approved-and-deployed',
  },
  'SCOPE.SITE_NOT_APPROVED': {
    title: 'Site outside the approved scope',
    description:
      "The output was produced on a site that the deployment's approved scope in force at `asOf` (the approval's, or a later scope change's) does not name.",
    part: 'approved-and-deployed',
  },
  'SCOPE.SERVICE_NOT_APPROVED': {
    title: 'Service outside the approved scope',
    description:
      'The output was produced in a clinical service that the approved scope in force at `asOf` does not name. Not checked when the output does not state its service.',
    part: 'approved-and-deployed',
  },
  'SCOPE.ROLE_NOT_APPROVED': {
    title: 'Role outside the approved scope',
    description:
      'A professional to whom the output was presented, or who acted on it, did so in a role that the approved scope in force at `asOf` does not name.',
    part: 'approved-and-deployed',
  },
  'SCOPE.POPULATION_NOT_APPROVED': {
    title: 'Patient population outside the approved scope',
    description:
      'The output states an age band that the approved scope in force at `asOf` does not cover, or a contraindication code present that the scope excludes. Not checked when the output does not state the fact.',
    part: 'approved-and-deployed',
  },
  'VERSION.POPULATION_EXCLUDED': {
    title: "Patient population outside the version's intended population",
    description:
      "The output states an age band outside the intended population of the version's release, or a contraindication code present that the release lists as a contraindication. Not checked for a release without coded contraindications and intended age bands (model.version.released v1).",
    part: 'built',
  },
  'SCOPE.MANDATED_USE_NOT_APPROVED': {
    title: 'Use mandated where only advisory use was approved',
    description:
      'Use of the AI for the output was mandated — a mandatory-use policy in force at `asOf` covered its site and someone who saw or acted on it, or someone instructed a professional to use or follow the AI for it — while the approved scope in force allowed advisory use only.',
    part: 'instructed',
  },
  'APPROVAL.REVIEW_OVERDUE': {
    title: 'Approval past its review date',
    description:
      'At `asOf` the review date in force (set by the approval, a scope change or the last recorded review) had been reached, from that day on in UTC, and no review in force by then renewed it.',
    part: 'approved-and-deployed',
  },
  'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE': {
    title: 'Safety notice in force with no recorded employer response',
    description:
      'A safety notice affecting the version was in force (issued and not resolved) at `asOf`, and between its issue and `asOf` the ledger records no suspension, revocation, reinstatement or new usage policy for the deployment.',
    part: 'built',
  },
  'POLICY.MANDATORY_USE': {
    title: 'Mandatory-use policy in force',
    description:
      "A usage policy in force at `asOf` made use of the AI mandatory for the output's site and for the role of a professional who saw or acted on it.",
    part: 'instructed',
  },
  'TRAINING.NONE_RECORDED': {
    title: 'No recorded training',
    description:
      'A professional who saw, acted on or was instructed about the output had no training record for the deployment valid at `asOf`.',
    part: 'instructed',
  },
  'REVIEW.BELOW_POLICY_MINIMUM': {
    title: 'Review time below the policy minimum',
    description:
      "A professional's recorded review time was shorter than the minimum review time of a usage policy in force at `asOf` for the output's site and the professional's role.",
    part: 'acted-on',
  },
  'ACTION.ACCEPTED_UNCHANGED': {
    title: 'Output accepted unchanged',
    description: 'A professional recorded the action `accepted` on the output.',
    part: 'acted-on',
  },
  'ACTION.OVERRIDDEN': {
    title: 'Output overridden',
    description: 'A professional recorded the action `overridden` on the output.',
    part: 'acted-on',
  },
  'INSTRUCTION.TO_FOLLOW_AI': {
    title: 'Instruction to follow the AI',
    description:
      "Someone, for example a supervisor, instructed a professional to follow the AI's output; the finding names the instructor's role.",
    part: 'instructed',
  },
  'INSTRUCTION.TO_USE_AI': {
    title: 'Instruction to use the AI',
    description:
      "Someone, for example a supervisor, instructed a professional to use the AI for the output; the finding names the instructor's role.",
    part: 'instructed',
  },
  'RECORDING.LATE': {
    title: 'Recorded late',
    description: `A fact in the chain was recorded by the ledger more than ${LATE_RECORDING_SECONDS / 60} minutes after it happened (the event's \`time\`).`,
    part: 'record',
  },
  'RECORDING.BACK_DATED': {
    title: 'Back-dated decision',
    description: 'A decision in the chain was made after `asOf` but takes effect at or before it, so it was not known at `asOf`.',
    part: 'record',
  },
  'CONCERN.OPEN_AT_OUTPUT_TIME': {
    title: 'Serious concern open when the output was produced',
    description:
      "At `asOf` a concern of severity `high` or `critical` about the output's model version, or about its deployment, had been taken in and not yet answered by every addressee.",
    part: 'built',
  },
  'CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE': {
    title: 'Concern not acknowledged by its due date',
    description:
      'An addressee of a concern (its vendor or employer) had recorded no acknowledgement of it by its `acknowledgeBy` time, and `asOf` is later than that time. One finding per addressee; an acknowledgement made after the due date and by `asOf` is named with its time.',
    part: 'concern',
  },
  'CONCERN.NOT_ANSWERED_BY_DUE_DATE': {
    title: 'Concern not answered by its due date',
    description:
      'An addressee of a concern (its vendor or employer) had recorded no answer to it by its `answerBy` time, and `asOf` is later than that time. One finding per addressee; an answer given after the due date and by `asOf` is named with its time and kind.',
    part: 'concern',
  },
  'CONCERN.REPEATED_ACROSS_ORGANISATIONS': {
    title: 'Concerns of one category about one version, across organisations',
    description: `By \`asOf\`, concerns of the same category about the same model version (raised about the version itself or about a deployment of it) had been taken in by ${REPEATED_CONCERN_ORGANISATIONS} or more different organisations.`,
    part: 'concern',
  },
  'RECOMMENDATION.OVERDUE': {
    title: 'Recommendation not completed or rejected by its due date',
    description:
      "The addressee of a safety recommendation had recorded neither its completion nor its rejection by the recommendation's `dueBy` time, and `asOf` is later than that time. An acceptance with a plan does not close it; a completion or rejection recorded after the due date and by `asOf` is named with its time.",
    part: 'recommendation',
  },
  'PATTERN.RECURRING_FINDING': {
    title: 'Same finding on the same version or deployment across incidents',
    description: `By \`asOf\`, recommendations recorded in cases about ${DEFAULT_RECURRING_PATTERN_INCIDENTS} or more different incidents (a case not about an incident counts as its own) linked the same finding code to the same model version, or to the same deployment. It counts the investigators' links (\`arisesFrom\`), not the findings of every output of those incidents (docs/investigations.md says why). The threshold is ledger configuration; each answer states the one it applied.`,
    part: 'recommendation',
  },
  'INCIDENT.PROVIDER_NOT_INFORMED': {
    title: 'Provider not informed of a serious incident',
    description:
      'The deployer classified an incident as serious, the time within which it said it informs the provider (its `informProviderWithinHours` after it became aware) had passed by `asOf`, and the ledger holds no record that it informed the provider, made by `asOf`. Not made when the deployer is itself the provider.',
    part: 'incident',
  },
  'INCIDENT.PROVIDER_INFORMED_LATE': {
    title: 'Provider informed of a serious incident late',
    description:
      'The deployer recorded informing the provider of a serious incident, but the first notice it recorded was made after the time within which it said it informs the provider.',
    part: 'incident',
  },
  'INCIDENT.AUTHORITY_REPORT_MISSING': {
    title: 'No report to the market surveillance authority by the deadline',
    description:
      'The EU AI Act Art. 73 deadline for reporting a serious incident to the market surveillance authority (counted from when the provider became aware, by the rule set in force: docs/incidents.md) had passed by `asOf`, and the ledger holds no report to it made by `asOf`.',
    part: 'incident',
  },
  'INCIDENT.AUTHORITY_REPORT_LATE': {
    title: 'Report to the market surveillance authority made late',
    description:
      'The first report of a serious incident to the market surveillance authority that the provider recorded was made after the EU AI Act Art. 73 deadline.',
    part: 'incident',
  },
  'INCIDENT.MHRA_REPORT_MISSING': {
    title: 'No report to the MHRA by the deadline',
    description:
      "The incident's model is a medical device (its registered risk class is a UK MDR class), the MHRA vigilance deadline (counted from when the provider became aware: docs/incidents.md) had passed by `asOf`, and the ledger holds no report to the MHRA made by `asOf`.",
    part: 'incident',
  },
  'INCIDENT.MHRA_REPORT_LATE': {
    title: 'Report to the MHRA made late',
    description:
      'The first report of a serious incident to the MHRA that the manufacturer recorded was made after the MHRA vigilance deadline.',
    part: 'incident',
  },
} as const satisfies Record<string, FindingDefinition>;

export type FindingCode = keyof typeof FINDINGS;

export const FINDING_CODES = Object.keys(FINDINGS) as FindingCode[];

/** One derived fact about an output, with the ledger entries that prove it. */
export const Finding = Type.Object(
  {
    code: Type.Union(
      FINDING_CODES.map((code) => Type.Literal(code)),
      { description: 'docs/findings.md' },
    ),
    title: Type.String(),
    statement: Type.String({ description: 'This case in one factual sentence.' }),
    evidence: Type.Array(Type.Integer({ minimum: 0 }), {
      description: 'Ledger sequence numbers of the entries the finding rests on, ascending.',
    }),
    details: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The values the finding compares, for machines; keys depend on `code` (docs/findings.md).',
    }),
  },
  { additionalProperties: false },
);
export type Finding = Static<typeof Finding>;

type Professional = { personId: string; role: string };

const ORDER = new Map(FINDING_CODES.map((code, i) => [code, i]));

/** A finding of `code`: its title from FINDINGS, its evidence ascending and once each. */
export function finding(code: FindingCode, statement: string, evidence: number[], details: Record<string, unknown> = {}): Finding {
  return {
    code,
    title: FINDINGS[code].title,
    statement,
    evidence: evidence.length < 2 ? [...evidence] : [...new Set(evidence)].sort((a, b) => a - b),
    details,
  };
}

/** Every item of the chain that carries clock marks, once per ledger entry. */
function itemsWithMarks(chain: AccountabilityChain): Item<{ happenedAt?: string; recordedAt?: string; generatedAt?: string }>[] {
  const found = new Map<number, Item<{ happenedAt?: string; recordedAt?: string }>>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const item = value as Item<{ happenedAt?: string; recordedAt?: string }>;
    if (Array.isArray(item.evidence) && (item.recordedLateBySeconds !== undefined || item.backDated) && !found.has(item.evidence[0]!))
      found.set(item.evidence[0]!, item);
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) visit(child);
    }
  };
  visit(chain);
  return [...found.values()].sort((a, b) => a.evidence[0]! - b.evidence[0]!);
}

/**
 * The findings of one chain: derived facts, each with the entries that prove it, worded as facts
 * and never as blame. Pure; the chain already reflects `asOf` and what the ledger knew. Listed in
 * FINDINGS order, and within one code in the order the parts below find them.
 */
export function deriveFindings(chain: AccountabilityChain): Finding[] {
  const out = [
    ...approvalFindings(chain),
    ...releaseFindings(chain),
    ...deploymentStateFindings(chain),
    ...scopeFindings(chain),
    ...safetyNoticeFindings(chain),
    ...policyFindings(chain),
    ...trainingFindings(chain),
    ...instructionFindings(chain),
    ...actionFindings(chain),
    ...recordingFindings(chain),
  ];
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => ORDER.get(a.f.code)! - ORDER.get(b.f.code)! || a.i - b.i)
    .map(({ f }) => f);
}

const outputSeqOf = (chain: AccountabilityChain) => chain.output.evidence[0]!;

/** Approved and deployed: the deployment was requested and approved for the output's version. */
function approvalFindings(chain: AccountabilityChain): Finding[] {
  const { output, approvedAndDeployed: deployed, asOf } = chain;
  const outputSeq = outputSeqOf(chain);
  const request = deployed.request;
  if (!request) {
    return [
      finding(
        'VERSION.NOT_APPROVED_FOR_DEPLOYMENT',
        `The ledger holds no request for deployment ${deployed.deploymentId}, which output ${chain.outputId} names.`,
        [outputSeq],
        { deploymentId: deployed.deploymentId },
      ),
    ];
  }
  if (request['versionId'] !== output.versionId) {
    return [
      finding(
        'VERSION.NOT_APPROVED_FOR_DEPLOYMENT',
        `Output ${chain.outputId} was produced by version ${output.versionId}; deployment ${deployed.deploymentId} was requested for version ${String(request['versionId'])}.`,
        [outputSeq, ...request.evidence, ...(deployed.approval?.evidence ?? [])],
        { outputVersionId: output.versionId, deploymentVersionId: request['versionId'] },
      ),
    ];
  }
  if (!deployed.approval) {
    return [
      finding(
        'VERSION.NOT_APPROVED_FOR_DEPLOYMENT',
        `The ledger holds no approval of deployment ${deployed.deploymentId} made at or before ${asOf}.`,
        [outputSeq, ...request.evidence],
        {
          deploymentId: deployed.deploymentId,
        },
      ),
    ];
  }
  return [];
}

/** The finding each scope check makes when the output falls outside: defined once, beside the codes. */
export const SCOPE_CHECK_FINDINGS: Readonly<Record<ScopeCheckName, FindingCode>> = {
  site: 'SCOPE.SITE_NOT_APPROVED',
  service: 'SCOPE.SERVICE_NOT_APPROVED',
  role: 'SCOPE.ROLE_NOT_APPROVED',
  'approved-age-band': 'SCOPE.POPULATION_NOT_APPROVED',
  'approved-contraindications': 'SCOPE.POPULATION_NOT_APPROVED',
  'version-age-band': 'VERSION.POPULATION_EXCLUDED',
  'version-contraindications': 'VERSION.POPULATION_EXCLUDED',
  use: 'SCOPE.MANDATED_USE_NOT_APPROVED',
  'review-date': 'APPROVAL.REVIEW_OVERDUE',
};

/** The findings a scope check can give, each once. */
export const SCOPE_FINDING_CODES: readonly FindingCode[] = [...new Set(Object.values(SCOPE_CHECK_FINDINGS))];

/** Approved scope and intended population: each check the output fell outside (see scope-checks.ts). */
function scopeFindings(chain: AccountabilityChain): Finding[] {
  return chain.scopeChecks
    .filter((c) => c.outcome === 'outside')
    .map((c) => finding(SCOPE_CHECK_FINDINGS[c.check], c.statement, c.evidence, { check: c.check, ...c.details }));
}

/** Built: the version was released, and not withdrawn, at `asOf`. */
function releaseFindings(chain: AccountabilityChain): Finding[] {
  const { output, built, asOf } = chain;
  const status = built.version?.statusAtOutputTime ?? 'unknown';
  if (status === 'released') return [];
  const statement =
    status === 'withdrawn'
      ? `Version ${output.versionId} had been withdrawn by its vendor with effect from ${String((built.version!['withdrawal'] as { effectiveAt: string }).effectiveAt)}, at or before ${asOf}.`
      : status === 'not-yet-released'
        ? `Version ${output.versionId} was released at ${String(built.version!['happenedAt'])}, after ${asOf}.`
        : `The ledger holds no release of version ${output.versionId}.`;
  return [
    finding('VERSION.NOT_RELEASED_AT_TIME', statement, [outputSeqOf(chain), ...(built.version?.evidence ?? [])], {
      versionId: output.versionId,
      status,
    }),
  ];
}

/** Approved and deployed: the deployment was active at `asOf`. */
function deploymentStateFindings(chain: AccountabilityChain): Finding[] {
  const { approvedAndDeployed: deployed, asOf } = chain;
  const state = deployed.stateAtOutputTime.state;
  if (state === 'active') return [];
  const last = [...deployed.transitions].reverse().find((t) => deployed.stateAtOutputTime.evidence.includes(t.evidence[0]!));
  const since = last ? `, following ${last.event} with effect from ${last.effectiveAt}` : '';
  return [
    finding(
      'DEPLOYMENT.NOT_ACTIVE_AT_TIME',
      `Deployment ${deployed.deploymentId} was ${state} at ${asOf}${since}.`,
      [outputSeqOf(chain), ...(last ? last.evidence : [])],
      {
        deploymentId: deployed.deploymentId,
        state,
      },
    ),
  ];
}

/** Built: each safety notice in force, and whether the employer responded to it by `asOf`. */
function safetyNoticeFindings(chain: AccountabilityChain): Finding[] {
  const { output, built, approvedAndDeployed: deployed, instructed, asOf } = chain;
  const out: Finding[] = [];
  for (const notice of built.safetyNoticesInForce) {
    const issuedAt = instant(String(notice['happenedAt']));
    const between = (happenedAt: unknown) => issuedAt <= instant(String(happenedAt)) && instant(String(happenedAt)) <= instant(asOf);
    const responded =
      deployed.transitions.some(
        (t) =>
          ['deployment.suspended', 'deployment.revoked', 'deployment.reinstated'].includes(t.event) &&
          between((t as { happenedAt?: string }).happenedAt),
      ) || instructed.policiesInForce.some((p) => between(p['happenedAt']));
    if (!responded) {
      out.push(
        finding(
          'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE',
          `Safety notice ${String(notice['noticeId'])} (severity ${String(notice['severity'])}) affecting version ${output.versionId} was issued at ${String(notice['happenedAt'])}; between then and ${asOf} the ledger records no suspension, revocation, reinstatement or new usage policy for deployment ${deployed.deploymentId}.`,
          [outputSeqOf(chain), ...notice.evidence],
          { noticeId: notice['noticeId'], severity: notice['severity'], requiredAction: notice['requiredAction'] },
        ),
      );
    }
  }
  return out;
}

/** Instructed: a mandatory-use policy in force covered the output's site and someone who saw or acted on it. */
function policyFindings(chain: AccountabilityChain): Finding[] {
  const { output, instructed, asOf } = chain;
  return instructed.policiesInForce
    .filter((policy) => policy['use'] === 'mandatory' && policy.coversOutputSite && policy.coversProfessionals.length > 0)
    .map((policy) =>
      finding(
        'POLICY.MANDATORY_USE',
        `Usage policy ${String(policy['policyId'])}, in force at ${asOf}, made use of the AI mandatory on ${output.site} for the role of ${policy.coversProfessionals.join(', ')}.`,
        policy.evidence,
        { policyId: policy['policyId'], site: output.site, professionals: policy.coversProfessionals },
      ),
    );
}

/** Instructed: each professional involved without training valid at `asOf`. */
function trainingFindings(chain: AccountabilityChain): Finding[] {
  const { approvedAndDeployed: deployed, instructed, actedOn, asOf } = chain;
  const involvement = (personId: string) =>
    [...actedOn.presentations, ...actedOn.actions]
      .filter((i) => (i['professional'] as Professional).personId === personId)
      .flatMap((i) => i.evidence);
  return instructed.training
    .filter((t) => !t.trainedAtOutputTime)
    .map((t) => {
      const other = t.records.length > 0 ? ` (${t.records.length} record(s) exist, none valid at that time)` : '';
      const instructedAbout = instructed.instructions.filter((i) => i['professionalId'] === t.professionalId).flatMap((i) => i.evidence);
      return finding(
        'TRAINING.NONE_RECORDED',
        `The ledger holds no training record of ${t.professionalId} for deployment ${deployed.deploymentId} valid at ${asOf}${other}.`,
        [...involvement(t.professionalId), ...instructedAbout, ...t.records.flatMap((r) => r.evidence)],
        { professionalId: t.professionalId },
      );
    });
}

/** Instructed: instructions to follow or to use the AI, naming the instructor. */
function instructionFindings(chain: AccountabilityChain): Finding[] {
  const out: Finding[] = [];
  for (const instruction of chain.instructed.instructions) {
    const kind = instruction['kind'];
    if (kind !== 'follow-ai' && kind !== 'use-ai') continue;
    const instructor = instruction['instructor'] as Professional;
    const what = kind === 'follow-ai' ? "to follow the AI's output" : 'to use the AI';
    out.push(
      finding(
        kind === 'follow-ai' ? 'INSTRUCTION.TO_FOLLOW_AI' : 'INSTRUCTION.TO_USE_AI',
        `${instructor.personId} (${instructor.role}) instructed ${String(instruction['professionalId'])} ${what} for output ${chain.outputId}.`,
        instruction.evidence,
        { instructor, professionalId: instruction['professionalId'] },
      ),
    );
  }
  return out;
}

/** Acted on: each action's review time against the policies in force, and what was done. */
function actionFindings(chain: AccountabilityChain): Finding[] {
  const { instructed, actedOn, asOf } = chain;
  const out: Finding[] = [];
  for (const action of actedOn.actions) {
    const professional = action['professional'] as Professional;
    const seconds = action['reviewDurationSeconds'] as number;
    for (const policy of instructed.policiesInForce) {
      const minimum = policy['minimumReviewSeconds'] as number;
      if (policy.coversOutputSite && policy.coversProfessionals.includes(professional.personId) && seconds < minimum) {
        out.push(
          finding(
            'REVIEW.BELOW_POLICY_MINIMUM',
            `${professional.personId} (${professional.role}) recorded a review of ${seconds} s; usage policy ${String(policy['policyId'])} in force at ${asOf} sets a minimum of ${minimum} s.`,
            [...action.evidence, ...policy.evidence],
            {
              professionalId: professional.personId,
              reviewDurationSeconds: seconds,
              minimumReviewSeconds: minimum,
              policyId: policy['policyId'],
            },
          ),
        );
      }
    }
    if (action['action'] === 'accepted' || action['action'] === 'overridden') {
      const verb = action['action'] === 'accepted' ? 'accepted the output unchanged' : 'overrode the output';
      const rationale =
        typeof action['rationale'] === 'string' ? `, recording the rationale "${action['rationale']}"` : ', recording no rationale';
      out.push(
        finding(
          action['action'] === 'accepted' ? 'ACTION.ACCEPTED_UNCHANGED' : 'ACTION.OVERRIDDEN',
          `${professional.personId} (${professional.role}) ${verb} at ${String(action['happenedAt'])} after a ${seconds} s review${rationale}.`,
          action.evidence,
          { professionalId: professional.personId, action: action['action'], reviewDurationSeconds: seconds },
        ),
      );
    }
  }
  return out;
}

/** The record itself: facts recorded late, and decisions back-dated to before `asOf`. */
function recordingFindings(chain: AccountabilityChain): Finding[] {
  const { asOf } = chain;
  const out: Finding[] = [];
  for (const item of itemsWithMarks(chain)) {
    const happenedAt = item.happenedAt ?? item.generatedAt;
    if (item.recordedLateBySeconds !== undefined) {
      out.push(
        finding(
          'RECORDING.LATE',
          `Ledger entry ${item.evidence[0]} happened at ${happenedAt} and was recorded at ${item.recordedAt}, ${item.recordedLateBySeconds} s later.`,
          [item.evidence[0]!],
          {
            happenedAt,
            recordedAt: item.recordedAt,
            recordedLateBySeconds: item.recordedLateBySeconds,
          },
        ),
      );
    }
    if (item.backDated) {
      out.push(
        finding(
          'RECORDING.BACK_DATED',
          `Ledger entry ${item.evidence[0]} was decided at ${happenedAt}, after ${asOf}, with effect from before it.`,
          [item.evidence[0]!],
          {
            happenedAt,
            asOf,
          },
        ),
      );
    }
  }
  return out;
}
