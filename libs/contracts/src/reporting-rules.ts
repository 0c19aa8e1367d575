import { Type } from '@sinclair/typebox';

/**
 * Serious-incident reporting rules: the one versioned table every deadline is computed from (the
 * incidents service at intake, the ledger and the verifier when they answer). Pure data and date
 * arithmetic, no clock. Rules change: a new version is appended with its effective date, never
 * edited in place, so an incident is always judged by the version in force when its clock started.
 * Sources and the reading of each period: docs/incidents.md.
 */

/** How the deployer classifies an incident (EU AI Act Art. 3(49), Art. 73). Written once here. */
export const INCIDENT_CLASSIFICATIONS = [
  'death',
  'serious-harm-to-health',
  'widespread-infringement',
  'critical-infrastructure-disruption',
  'other-serious-incident',
  'not-serious',
] as const;
export type IncidentClassification = (typeof INCIDENT_CLASSIFICATIONS)[number];
export const IncidentClassification = Type.Union(
  INCIDENT_CLASSIFICATIONS.map((c) => Type.Literal(c)),
  {
    description:
      'The deployer’s classification (EU AI Act Art. 3(49)): a death, serious harm to a person’s health, a widespread infringement, a serious and irreversible disruption of critical infrastructure, another serious incident (an infringement of fundamental-rights obligations that is not widespread, or serious harm to property or the environment), or not a serious incident.',
  },
);

/** The authorities a provider reports to: the EU market surveillance authority (Art. 73) and, for a medical device in the UK, the MHRA. */
export const REPORTING_AUTHORITIES = ['eu-market-surveillance-authority', 'uk-mhra'] as const;
export type ReportingAuthority = (typeof REPORTING_AUTHORITIES)[number];
export const ReportingAuthority = Type.Union(
  REPORTING_AUTHORITIES.map((a) => Type.Literal(a)),
  {
    description:
      'The market surveillance authority of the member state where the incident occurred (Art. 73), or the UK MHRA (medical devices).',
  },
);

/** The MHRA's vigilance categories, which set its reporting period. */
export type MhraCategory = 'serious-public-health-threat' | 'death-or-serious-deterioration' | 'other-serious-incident';

export interface ReportingRuleSet {
  /** Stable id, named in every reporting clock the ledger answers. */
  readonly id: string;
  /** The rule set applies to clocks that start at or after this instant (RFC 3339, UTC). */
  readonly effectiveFrom: string;
  /** Days after the provider became aware within which it reports to the market surveillance authority (Art. 73(2)–(4)); null: no report. */
  readonly euAiActDays: Readonly<Record<IncidentClassification, number | null>>;
  /** Default hours within which the deployer informs the provider ("without undue delay", Art. 26(5)); the deployer's service may be configured otherwise, and records the hours it used. */
  readonly informProviderHoursDefault: number;
  /** The MHRA category of each classification (null: not an MHRA vigilance report); a serious public health threat overrides it. */
  readonly mhraCategory: Readonly<Record<IncidentClassification, MhraCategory | null>>;
  /** Days after the manufacturer became aware within which it reports to the MHRA, by category. */
  readonly mhraDays: Readonly<Record<MhraCategory, number>>;
}

/** Every rule set ever in force, oldest first. Append; never edit a published one. */
export const REPORTING_RULE_SETS: readonly ReportingRuleSet[] = [
  {
    id: 'eu-ai-act-art73+mhra-vigilance/2026-08-02',
    effectiveFrom: '2026-08-02T00:00:00.000Z',
    euAiActDays: {
      death: 10,
      'serious-harm-to-health': 15,
      'widespread-infringement': 2,
      'critical-infrastructure-disruption': 2,
      // Art. 73(2), the general period; added with the classification, which no entry could carry before.
      'other-serious-incident': 15,
      'not-serious': null,
    },
    informProviderHoursDefault: 24,
    mhraCategory: {
      death: 'death-or-serious-deterioration',
      'serious-harm-to-health': 'death-or-serious-deterioration',
      'widespread-infringement': 'other-serious-incident',
      'critical-infrastructure-disruption': 'other-serious-incident',
      // Neither harms health: not an MHRA vigilance report, unless it is a serious public health threat.
      'other-serious-incident': null,
      'not-serious': null,
    },
    mhraDays: { 'serious-public-health-threat': 2, 'death-or-serious-deterioration': 10, 'other-serious-incident': 15 },
  },
];

const DAY_MS = 86_400_000;

/**
 * The rule set in force at `instant` (RFC 3339): the newest whose effectiveFrom is not after it. A
 * clock that started before the first rule set is judged by the first (the AI Act's reporting duty
 * applies from 2 August 2026; earlier incidents are still shown against it, never silently dropped).
 */
export function reportingRulesAt(instant: string, sets: readonly ReportingRuleSet[] = REPORTING_RULE_SETS): ReportingRuleSet {
  const t = Date.parse(instant);
  let found = sets[0]!;
  for (const set of sets) if (Date.parse(set.effectiveFrom) <= t) found = set;
  return found;
}

/** `from` (RFC 3339, any offset) plus whole days of 24 hours, in UTC: a deadline as an instant, never a local date. */
export function addDays(from: string, days: number): string {
  return new Date(Date.parse(from) + days * DAY_MS).toISOString();
}

/** `from` plus whole hours, in UTC. */
export function addHours(from: string, hours: number): string {
  return new Date(Date.parse(from) + hours * 3_600_000).toISOString();
}

/** The MHRA category of an incident: a serious public health threat whatever its classification, else the classification's. */
export function mhraCategoryOf(
  rules: ReportingRuleSet,
  classification: IncidentClassification,
  publicHealthThreat: boolean,
): MhraCategory | null {
  if (classification === 'not-serious') return null;
  return publicHealthThreat ? 'serious-public-health-threat' : rules.mhraCategory[classification];
}

export interface ReportingDeadlines {
  readonly rules: string;
  /** When the deployer must have informed the provider; null when deployer and provider are one organisation. */
  readonly informProviderBy: string | null;
  /** When the provider must have reported to the market surveillance authority; null when no report is due or the provider's clock has not started. */
  readonly euAuthorityBy: string | null;
  readonly euAiActDays: number | null;
  /** When the manufacturer must have reported to the MHRA; null when the version is not a medical device, no report is due, or the clock has not started. */
  readonly mhraBy: string | null;
  readonly mhraCategory: MhraCategory | null;
  readonly mhraDays: number | null;
}

export interface DeadlineQuestion {
  readonly classification: IncidentClassification;
  readonly publicHealthThreat: boolean;
  /** When the deployer became aware: the notice clock starts here, and the rule set is the one in force then. */
  readonly deployerAwareAt: string;
  readonly informProviderWithinHours: number;
  readonly deployerIsProvider: boolean;
  /** When the provider became aware (the earlier of what it recorded and the deployer's notice), if it has. */
  readonly providerAwareAt: string | null;
  /** Whether the version is a medical device (its model's risk class is a UK MDR class). */
  readonly medicalDevice: boolean;
}

/** Every deadline of one incident, from the rule set in force when the deployer became aware. Pure. */
export function reportingDeadlines(q: DeadlineQuestion, sets: readonly ReportingRuleSet[] = REPORTING_RULE_SETS): ReportingDeadlines {
  const rules = reportingRulesAt(q.deployerAwareAt, sets);
  const serious = q.classification !== 'not-serious';
  const euAiActDays = rules.euAiActDays[q.classification];
  const mhraCategory = q.medicalDevice ? mhraCategoryOf(rules, q.classification, q.publicHealthThreat) : null;
  const mhraDays = mhraCategory === null ? null : rules.mhraDays[mhraCategory];
  return {
    rules: rules.id,
    informProviderBy: serious && !q.deployerIsProvider ? addHours(q.deployerAwareAt, q.informProviderWithinHours) : null,
    euAuthorityBy: euAiActDays !== null && q.providerAwareAt !== null ? addDays(q.providerAwareAt, euAiActDays) : null,
    euAiActDays,
    mhraBy: mhraDays !== null && q.providerAwareAt !== null ? addDays(q.providerAwareAt, mhraDays) : null,
    mhraCategory,
    mhraDays,
  };
}
