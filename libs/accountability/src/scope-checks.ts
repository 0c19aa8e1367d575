import type { AgeBandName, CodedContraindication, DeploymentScope, IntendedPopulation, OutputPopulation } from '@aal/contracts';
import { Type, type Static } from '@sinclair/typebox';
import { instant } from './instants';

/**
 * The checks of one output against the scope its deployment was approved for and the population
 * its version is intended for (issue #14), each made, or stated as not possible, from proven
 * entries alone. Order is the order of the chain's `scopeChecks`.
 */
export const SCOPE_CHECKS = [
  'site',
  'service',
  'role',
  'approved-age-band',
  'approved-contraindications',
  'version-age-band',
  'version-contraindications',
  'use',
  'review-date',
] as const;
export type ScopeCheckName = (typeof SCOPE_CHECKS)[number];

/**
 * One check: `outside` when the output fell outside what was approved or intended (a finding
 * states it), `within` when it did not, `not-checked` when the entries lack a fact the check needs
 * (a v1 approval without a scope, an output without a service, …): then no finding is made and the
 * statement says which fact is missing. `evidence`: the seqs the outcome rests on, ascending.
 */
export const ScopeCheck = Type.Object(
  {
    check: Type.Union(SCOPE_CHECKS.map((name) => Type.Literal(name))),
    outcome: Type.Union([Type.Literal('within'), Type.Literal('outside'), Type.Literal('not-checked')]),
    statement: Type.String(),
    evidence: Type.Array(Type.Integer({ minimum: 0 })),
    details: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The values the check compared, for machines; keys depend on `check`.',
    }),
  },
  { additionalProperties: false },
);
export type ScopeCheck = Static<typeof ScopeCheck>;

/** What the checks read, taken by the chain builder from the facts it shows (seq: the proving entry). */
export interface ScopeCheckInput {
  readonly outputId: string;
  readonly deploymentId: string;
  readonly asOf: string;
  readonly output: { readonly seq: number; readonly site: string; readonly service?: string; readonly population?: OutputPopulation };
  /** The first approval made at or before `asOf`; null when there is none. */
  readonly approval: { readonly seq: number } | null;
  /** The scope in force at `asOf` (the approval's, or a later scope change's); null when none is stated. */
  readonly scope: { readonly seq: number; readonly scope: DeploymentScope; readonly source: string } | null;
  /** The review date in force at `asOf`, with the entry that set it. */
  readonly reviewDate: { readonly seq: number; readonly reviewDate: string; readonly source: string } | null;
  /** The version's release; `intendedPopulation` and `codedContraindications` only when it states them (v2). */
  readonly version: {
    readonly seq: number;
    readonly versionId: string;
    readonly intendedPopulation?: IntendedPopulation;
    readonly codedContraindications?: readonly CodedContraindication[];
  } | null;
  /** Who saw or acted on the output, in which role, each with the entry that records it. */
  readonly professionals: ReadonlyArray<{ readonly personId: string; readonly role: string; readonly seq: number }>;
  /** Mandated use of the AI for this output: mandatory-use policies covering it, instructions to use or follow it. */
  readonly mandates: ReadonlyArray<{ readonly kind: 'policy' | 'instruction'; readonly id: string; readonly seq: number }>;
}

const sorted = (seqs: number[]) => [...new Set(seqs)].sort((a, b) => a - b);

function check(
  name: ScopeCheckName,
  outcome: ScopeCheck['outcome'],
  statement: string,
  evidence: number[],
  details: Record<string, unknown> = {},
): ScopeCheck {
  return { check: name, outcome, statement, evidence: sorted(evidence), details };
}

const list = (values: readonly string[]) => values.join(', ');

/** Every check of SCOPE_CHECKS, in that order. Pure. */
export function checkScope(input: ScopeCheckInput): ScopeCheck[] {
  return [
    ...settingChecks(input),
    ...approvedPopulationChecks(input),
    ...versionPopulationChecks(input),
    useCheck(input),
    reviewDateCheck(input),
  ];
}

/** Why no check against the approved scope can be made, or null when a scope is in force. */
function noScope(input: ScopeCheckInput, name: ScopeCheckName): ScopeCheck | null {
  if (input.scope) return null;
  if (!input.approval)
    return check(
      name,
      'not-checked',
      `Not checked: the ledger holds no approval of deployment ${input.deploymentId} made at or before ${input.asOf}.`,
      [input.output.seq],
    );
  return check(
    name,
    'not-checked',
    `Not checked: the approval of deployment ${input.deploymentId} (entry ${input.approval.seq}) states no machine-readable scope, and no scope change was in force at ${input.asOf}.`,
    [input.approval.seq],
  );
}

/** Site, service and the roles of the professionals, against the approved setting. */
function settingChecks(input: ScopeCheckInput): ScopeCheck[] {
  return [noScope(input, 'site') ?? siteCheck(input), noScope(input, 'service') ?? serviceCheck(input), roleCheck(input)];
}

/** The output's site against the approved sites; only called with a scope in force. */
function siteCheck(input: ScopeCheckInput): ScopeCheck {
  const { output } = input;
  const { seq, scope } = input.scope!;
  const within = scope.sites.includes(output.site);
  return check(
    'site',
    within ? 'within' : 'outside',
    within
      ? `Site ${output.site} is within the approved scope.`
      : `Output ${input.outputId} was produced on ${output.site}; the scope in force at ${input.asOf} (entry ${seq}) approves the sites ${list(scope.sites)}.`,
    [seq, output.seq],
    { site: output.site, approvedSites: scope.sites },
  );
}

/** The output's service against the approved services; only called with a scope in force. */
function serviceCheck(input: ScopeCheckInput): ScopeCheck {
  const { output } = input;
  const { seq, scope } = input.scope!;
  if (output.service === undefined)
    return check('service', 'not-checked', `Not checked: output ${input.outputId} does not state the service it was produced in.`, [
      output.seq,
    ]);
  const within = scope.services.includes(output.service);
  return check(
    'service',
    within ? 'within' : 'outside',
    within
      ? `Service ${output.service} is within the approved scope.`
      : `Output ${input.outputId} was produced in the service ${output.service}; the scope in force at ${input.asOf} (entry ${seq}) approves the services ${list(scope.services)}.`,
    [seq, output.seq],
    { service: output.service, approvedServices: scope.services },
  );
}

/** The role of each professional the output was presented to or who acted on it. */
function roleCheck(input: ScopeCheckInput): ScopeCheck {
  const none = noScope(input, 'role');
  if (none) return none;
  const { seq, scope } = input.scope!;
  if (input.professionals.length === 0)
    return check('role', 'not-checked', `Not checked: the ledger records no professional who saw or acted on output ${input.outputId}.`, [
      input.output.seq,
    ]);
  const outside = input.professionals.filter((p) => !scope.roles.includes(p.role));
  if (outside.length === 0)
    return check('role', 'within', 'Every professional who saw or acted on the output did so in an approved role.', [seq]);
  const people = [...new Map(outside.map((p) => [`${p.personId} ${p.role}`, { personId: p.personId, role: p.role }])).values()];
  return check(
    'role',
    'outside',
    `${people.map((p) => `${p.personId} (${p.role})`).join(', ')} saw or acted on output ${input.outputId}; the scope in force at ${input.asOf} (entry ${seq}) approves the roles ${list(scope.roles)}.`,
    [seq, ...outside.map((p) => p.seq)],
    { professionals: people, approvedRoles: scope.roles },
  );
}

/** Why a population check cannot be made for want of the output's facts, or null. */
function noOutputFact(input: ScopeCheckInput, name: ScopeCheckName, fact: 'ageBand' | 'contraindicationCodes'): ScopeCheck | null {
  if (input.output.population?.[fact] !== undefined) return null;
  const what = fact === 'ageBand' ? 'an age band' : 'which contraindication codes are present';
  return check(name, 'not-checked', `Not checked: output ${input.outputId} does not state ${what}.`, [input.output.seq]);
}

function ageBandCheck(input: ScopeCheckInput, name: ScopeCheckName, bands: readonly AgeBandName[], seq: number, whose: string): ScopeCheck {
  const band = input.output.population!.ageBand!;
  const within = bands.includes(band);
  return check(
    name,
    within ? 'within' : 'outside',
    within
      ? `Age band ${band} is within ${whose}.`
      : `Output ${input.outputId} was for a patient in the age band ${band}; ${whose} (entry ${seq}) covers the age bands ${list(bands)}.`,
    [seq, input.output.seq],
    { ageBand: band, ageBands: bands },
  );
}

function contraindicationCheck(
  input: ScopeCheckInput,
  name: ScopeCheckName,
  excluded: readonly string[],
  seq: number,
  whose: string,
  excludes: string,
): ScopeCheck {
  const present = input.output.population!.contraindicationCodes!;
  const found = present.filter((code) => excluded.includes(code));
  return check(
    name,
    found.length === 0 ? 'within' : 'outside',
    found.length === 0
      ? `None of the contraindication codes present is excluded by ${whose}.`
      : `Output ${input.outputId} was for a patient with ${list(found)}, which ${whose} (entry ${seq}) ${excludes}.`,
    [seq, input.output.seq],
    { contraindicationCodes: found, excludedContraindicationCodes: excluded },
  );
}

/** The output's population against the approved one: its age bands, and none of its excluded contraindications. */
function approvedPopulationChecks(input: ScopeCheckInput): ScopeCheck[] {
  const whose = 'the approved scope in force';
  const ageBand =
    noScope(input, 'approved-age-band') ??
    noOutputFact(input, 'approved-age-band', 'ageBand') ??
    ageBandCheck(input, 'approved-age-band', input.scope!.scope.population.ageBands, input.scope!.seq, whose);
  const codes =
    noScope(input, 'approved-contraindications') ??
    noOutputFact(input, 'approved-contraindications', 'contraindicationCodes') ??
    contraindicationCheck(
      input,
      'approved-contraindications',
      input.scope!.scope.population.excludedContraindicationCodes,
      input.scope!.seq,
      whose,
      'excludes',
    );
  return [ageBand, codes];
}

/** The output's population against the one the vendor intends the version for. */
function versionPopulationChecks(input: ScopeCheckInput): ScopeCheck[] {
  const { version } = input;
  const missing = (name: ScopeCheckName, what: string): ScopeCheck =>
    version
      ? check(name, 'not-checked', `Not checked: the release of version ${version.versionId} (entry ${version.seq}) states ${what}.`, [
          version.seq,
        ])
      : check(name, 'not-checked', `Not checked: the ledger holds no release of the output's version.`, [input.output.seq]);
  const whose = `the release of version ${version?.versionId}`;
  const ageBand = !version?.intendedPopulation
    ? missing('version-age-band', 'no intended population by age band')
    : (noOutputFact(input, 'version-age-band', 'ageBand') ??
      ageBandCheck(input, 'version-age-band', version.intendedPopulation.ageBands, version.seq, `the intended population of ${whose}`));
  const codes = !version?.codedContraindications
    ? missing('version-contraindications', 'its contraindications as wording only, without codes')
    : (noOutputFact(input, 'version-contraindications', 'contraindicationCodes') ??
      contraindicationCheck(
        input,
        'version-contraindications',
        version.codedContraindications.map((c) => c.code),
        version.seq,
        whose,
        'lists as a contraindication',
      ));
  return [ageBand, codes];
}

/** Mandated use (a mandatory-use policy covering the output, an instruction to use or follow it) against the approved uses. */
function useCheck(input: ScopeCheckInput): ScopeCheck {
  const none = noScope(input, 'use');
  if (none) return none;
  const { seq, scope } = input.scope!;
  if (scope.uses.includes('mandatory') || input.mandates.length === 0)
    return check(
      'use',
      'within',
      input.mandates.length === 0 ? 'No mandated use of the AI is recorded for the output.' : 'Mandatory use is within the approved scope.',
      [seq],
    );
  const by = input.mandates.map((m) => (m.kind === 'policy' ? `usage policy ${m.id}` : `instruction ${m.id}`));
  return check(
    'use',
    'outside',
    `Use of the AI for output ${input.outputId} was mandated (${by.join(', ')}); the scope in force at ${input.asOf} (entry ${seq}) approves ${list(scope.uses)} use only.`,
    [seq, ...input.mandates.map((m) => m.seq)],
    { mandates: input.mandates.map(({ kind, id }) => ({ kind, id })), approvedUses: scope.uses },
  );
}

/**
 * The approval holds until its review date: from that day on (UTC), as deployment-approval's
 * expiry does, an output needs a review recorded before it (`deployment.reviewed`, or a scope
 * change setting a later date).
 */
function reviewDateCheck(input: ScopeCheckInput): ScopeCheck {
  const { reviewDate } = input;
  if (!reviewDate)
    return check(
      'review-date',
      'not-checked',
      `Not checked: the ledger holds no approval of deployment ${input.deploymentId} made at or before ${input.asOf}.`,
      [input.output.seq],
    );
  const due = instant(`${reviewDate.reviewDate}T00:00:00Z`);
  const within = instant(input.asOf) < due;
  return check(
    'review-date',
    within ? 'within' : 'outside',
    within
      ? `The review date in force, ${reviewDate.reviewDate}, had not been reached.`
      : `At ${input.asOf} the review date ${reviewDate.reviewDate}, set by entry ${reviewDate.seq} (${reviewDate.source}), had been reached, and no review in force then renewed the approval of deployment ${input.deploymentId}.`,
    [reviewDate.seq, input.output.seq],
    { reviewDate: reviewDate.reviewDate, setBy: reviewDate.source },
  );
}
