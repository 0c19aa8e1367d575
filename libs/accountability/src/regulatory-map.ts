import { SCOPE_FINDING_CODES } from './findings';
import { OVERSIGHT_FINDING_CODES } from './oversight-findings';
import { INCIDENT_REPORTING_DUTIES, type RegulatoryDuty } from './regulatory-duties';

const CHAIN = 'GET /outputs/{outputId}/accountability';
const CASE_CHAIN = 'GET /cases/{caseId}/outputs/{outputId}/accountability';
const OVERSIGHT = 'GET /deployments/{deploymentId}/oversight';
const EXPORT = 'GET /cases/{caseId}/export (ledger-verify --bundle)';

/**
 * Every regulatory duty the ledger maps (docs/regulatory.md is generated from this): the NHS
 * clinical risk management standards, then the EU AI Act articles in order. Events and findings
 * are typed against the catalogue and the findings tables, so renaming either breaks the build.
 */
export const REGULATORY_DUTIES: readonly RegulatoryDuty[] = [
  {
    id: 'nhs-dcb0129',
    source: 'NHS DCB0129 (clinical risk management: its application in the manufacture of health IT systems)',
    dutyHolder: 'manufacturer',
    duty: 'The manufacturer runs clinical risk management for its product: states its intended use and limitations, keeps its hazards under review after release, and tells those who deploy it about new hazards and withdrawals.',
    events: [
      'model.registered',
      'model.version.released',
      'model.safety-notice.issued',
      'model.safety-notice.resolved',
      'model.version.withdrawn',
      'concern.answered',
    ],
    routes: [CHAIN, EXPORT],
    findings: ['VERSION.NOT_RELEASED_AT_TIME', 'CONCERN.NOT_ANSWERED_BY_DUE_DATE', 'CONCERN.REPEATED_ACROSS_ORGANISATIONS'],
    notRecorded:
      "The hazard log and the clinical safety case report are not recorded: a release carries only references to its evidence. Who the manufacturer's clinical safety officer is, is not recorded.",
  },
  {
    id: 'nhs-dcb0160',
    source: 'NHS DCB0160 (clinical risk management: its application in the deployment and use of health IT systems)',
    dutyHolder: 'deployer',
    duty: 'The health organisation deploying the product runs its own clinical risk management: approves it for a stated scope (signed by its clinical safety officer), reviews the approval, acts on safety notices, and stops use that is unsafe.',
    events: [
      'deployment.requested',
      'deployment.approved',
      'deployment.scope-changed',
      'deployment.reviewed',
      'deployment.activated',
      'deployment.suspended',
      'deployment.revoked',
      'deployment.expired',
      'usage-policy.issued',
    ],
    routes: [CHAIN, CASE_CHAIN, EXPORT],
    findings: [
      'VERSION.NOT_APPROVED_FOR_DEPLOYMENT',
      'DEPLOYMENT.NOT_ACTIVE_AT_TIME',
      // The scope codes include APPROVAL.REVIEW_OVERDUE and VERSION.POPULATION_EXCLUDED.
      ...SCOPE_FINDING_CODES,
      'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE',
    ],
    notRecorded:
      "The deployer's hazard log is not recorded. That the approver is the clinical safety officer is shown only by the role on the approval; no finding checks it.",
  },
  {
    id: 'eu-ai-act-art12-record-keeping',
    source: 'EU AI Act (Regulation (EU) 2024/1689) Art. 12',
    dutyHolder: 'provider',
    duty: 'A high-risk AI system allows the automatic recording of events (logs) over its lifetime: each period of use, the input that led to a result, and the people who verified it.',
    events: ['output.generated', 'output.presented', 'output.acted-on', 'instruction.given', 'incident.reported'],
    routes: [
      'GET /entries',
      'GET /entries/{seq}/inclusion-proof',
      'GET /proofs/consistency',
      'GET /checkpoints/latest',
      'ledger-verify --url',
    ],
    findings: ['RECORDING.LATE', 'RECORDING.BACK_DATED'],
    notRecorded:
      'The input data are recorded only as a digest on output.generated, never as content. No finding flags a period of use with no outputs logged: the ledger cannot tell silence from non-use.',
  },
  {
    id: 'eu-ai-act-art14-human-oversight',
    source: 'EU AI Act (Regulation (EU) 2024/1689) Art. 14, with Art. 26(2)',
    dutyHolder: 'deployer',
    duty: 'People with the competence, training and authority to oversee the system can understand, disregard or override its output, and are given the means (and the time) to do so; the deployer assigns them.',
    events: ['usage-policy.issued', 'training.recorded', 'output.presented', 'output.acted-on', 'instruction.given'],
    routes: [CHAIN, OVERSIGHT, 'GET /cases/{caseId}/deployments/{deploymentId}/oversight'],
    findings: [
      'POLICY.MANDATORY_USE',
      'TRAINING.NONE_RECORDED',
      'REVIEW.BELOW_POLICY_MINIMUM',
      'ACTION.ACCEPTED_UNCHANGED',
      'ACTION.OVERRIDDEN',
      'INSTRUCTION.TO_FOLLOW_AI',
      'INSTRUCTION.TO_USE_AI',
      ...OVERSIGHT_FINDING_CODES,
    ],
  },
  {
    id: 'eu-ai-act-art26-deployer-use',
    source: 'EU AI Act (Regulation (EU) 2024/1689) Art. 26(1), (4), (5)',
    dutyHolder: 'deployer',
    duty: 'A deployer uses the system as its instructions say (for the approved purpose, setting and population), monitors its operation, and suspends its use when it presents a risk.',
    events: [
      'deployment.approved',
      'deployment.scope-changed',
      'deployment.suspended',
      'usage-policy.issued',
      'model.safety-notice.issued',
    ],
    routes: [CHAIN, OVERSIGHT],
    findings: ['DEPLOYMENT.NOT_ACTIVE_AT_TIME', ...SCOPE_FINDING_CODES, 'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE'],
  },
  {
    id: 'eu-ai-act-art26-6-log-retention',
    source: 'EU AI Act (Regulation (EU) 2024/1689) Art. 26(6)',
    dutyHolder: 'deployer',
    duty: 'A deployer keeps the logs the system generates, as far as they are under its control, for a period appropriate to its intended purpose of at least six months.',
    events: ['case.hold-placed', 'case.hold-lifted'],
    routes: ['docs/retention.md (generated from the retention tables)', 'GET /entries', EXPORT],
    findings: [],
    notRecorded:
      'No finding: the log is kept for ever and the retention code cannot name its tables; a purged log-like table (the rejections) has a six-month floor that stops the start-up when configured below it. The hold events record evidence frozen beyond any period.',
  },
  {
    id: 'eu-ai-act-art72-post-market-monitoring',
    source: 'EU AI Act (Regulation (EU) 2024/1689) Art. 72',
    dutyHolder: 'provider',
    duty: 'The provider collects and analyses data on the performance of its system throughout its lifetime, including from deployers, to find where it falls short.',
    events: [
      'concern.raised',
      'concern.acknowledged',
      'concern.answered',
      'incident.reported',
      'output.acted-on',
      'model.safety-notice.issued',
      'model.version.withdrawn',
    ],
    routes: ['GET /concerns/{concernId}/accountability', OVERSIGHT, CHAIN],
    findings: [
      'CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE',
      'CONCERN.NOT_ANSWERED_BY_DUE_DATE',
      'CONCERN.REPEATED_ACROSS_ORGANISATIONS',
      'CONCERN.OPEN_AT_OUTPUT_TIME',
    ],
    notRecorded:
      "The provider's post-market monitoring plan is not recorded, nor any analysis it made; only the signals it was sent and its answers to them.",
  },
  ...INCIDENT_REPORTING_DUTIES,
];
