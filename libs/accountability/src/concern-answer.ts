import type { AccountabilityChain, Item } from './accountability-chain';
import { knownBy, type KnownAt } from './clocks';
import type { Fact, FactNamed } from './fact';
import { finding, REPEATED_CONCERN_ORGANISATIONS, type Finding } from './findings';
import { instant } from './instants';

type Raised = FactNamed<'concern.raised'>;
type Acknowledged = FactNamed<'concern.acknowledged'>;
type Answered = FactNamed<'concern.answered'>;
type Addressee = Raised['data']['addressees'][number];

/**
 * One concern as the ledger holds it, as it stood at `asOf` (by default the recorded time of the
 * last entry known), built only from what the ledger had recorded by `knownAt`: the concern as
 * taken in, every acknowledgement and answer made by `asOf`, each addressee's standing against its
 * due dates, and the findings. Every item names its ledger entries (`evidence`) and both clocks.
 */
export interface ConcernAnswer {
  readonly concernId: string;
  readonly asOf: string;
  /** `known-at`: the recorded time of the last entry known; `requested`: the caller's. */
  readonly asOfSource: 'known-at' | 'requested';
  readonly knownAt: KnownAt & { readonly source: 'latest' | 'requested' };
  readonly concern: Item<Omit<Raised['data'], 'actor'> & { takenInBy: Raised['data']['actor']; happenedAt: string; recordedAt: string }>;
  /** `raised` until every addressee acknowledged by `asOf`, `acknowledged` until every one answered, then `answered`. */
  readonly status: 'raised' | 'acknowledged' | 'answered';
  readonly acknowledgements: Item<{ addressee: Addressee; by: Acknowledged['data']['actor']; happenedAt: string; recordedAt: string }>[];
  readonly answers: Item<{
    addressee: Addressee;
    answer: Answered['data']['answer'];
    reference: string;
    by: Answered['data']['actor'];
    happenedAt: string;
    recordedAt: string;
  }>[];
  readonly findings: Finding[];
}

export interface ConcernClocks {
  /** RFC 3339; defaults to the recorded time of the last entry known. */
  readonly asOf?: string;
  readonly knownAt: KnownAt & { readonly source: 'latest' | 'requested' };
}

const isRaised =
  (concernId: string) =>
  (f: Fact): f is Raised =>
    f.name === 'concern.raised' && f.data.concernId === concernId;

/** The concern.raised of `concernId` among `facts`, if any: the first step of finding its answer's facts. */
export function concernRaised(concernId: string, facts: readonly Fact[]): Raised | undefined {
  return facts.find(isRaised(concernId));
}

/**
 * The answer for one concern from `facts`: those the ledger finds under its own subject and under
 * the model it is about (factKeys), so the other concerns about its version are among them. Pure.
 * Returns null when the ledger, as of `knownAt`, holds no `concern.raised` for it.
 */
export function answerConcern(concernId: string, facts: readonly Fact[], clocks: ConcernClocks): ConcernAnswer | null {
  const known = [...knownBy(facts, clocks.knownAt)].sort((a, b) => a.seq - b.seq);
  const raised = concernRaised(concernId, known);
  if (!raised) return null;
  const asOf = clocks.asOf ?? clocks.knownAt.recordedAt;
  const T = instant(asOf);
  const byAsOf = (f: Fact) => instant(f.time) <= T;
  const own = known.filter(
    (f): f is Acknowledged | Answered =>
      (f.name === 'concern.acknowledged' || f.name === 'concern.answered') && f.data.concernId === concernId && byAsOf(f),
  );
  const acks = own.filter((f): f is Acknowledged => f.name === 'concern.acknowledged');
  const answers = own.filter((f): f is Answered => f.name === 'concern.answered');
  const { actor, ...taken } = raised.data;
  const of = (list: readonly (Acknowledged | Answered)[], a: Addressee) =>
    list.filter((f) => f.data.addressee.organisationId === a.organisationId);
  const addressees = raised.data.addressees;
  const status = addressees.every((a) => of(answers, a).length > 0)
    ? 'answered'
    : addressees.every((a) => of(acks, a).length > 0)
      ? 'acknowledged'
      : 'raised';
  return {
    concernId,
    asOf,
    asOfSource: clocks.asOf === undefined ? 'known-at' : 'requested',
    knownAt: clocks.knownAt,
    concern: { ...taken, takenInBy: actor, ...ledgerFields(raised) },
    status,
    acknowledgements: acks.map((f) => ({ addressee: f.data.addressee, by: f.data.actor, ...ledgerFields(f) })),
    answers: answers.map((f) => ({
      addressee: f.data.addressee,
      answer: f.data.answer,
      reference: f.data.reference,
      by: f.data.actor,
      ...ledgerFields(f),
    })),
    findings: [
      ...dueDateFindings(raised, acks, 'acknowledge', asOf),
      ...dueDateFindings(raised, answers, 'answer', asOf),
      ...repeatFindings(raised, known.filter(byAsOf)),
    ],
  };
}

function ledgerFields(f: Fact) {
  return { happenedAt: f.time, recordedAt: f.recordedAt, evidence: [f.seq] };
}

/** Severities of a concern that make it a finding on every output produced while it is open. */
const SERIOUS: readonly string[] = ['high', 'critical'];

/**
 * Findings on an output's chain from the concerns among `facts` (those the chain was built from):
 * each serious concern about the output's version, or its deployment, raised by the chain's
 * `asOf` and not answered by every addressee by then. Listed in ledger order; their code comes
 * after every chain finding's in FINDINGS, so they follow `deriveFindings`' list.
 */
export function concernsOpenAtOutput(chain: AccountabilityChain, facts: readonly Fact[]): Finding[] {
  const T = instant(chain.asOf);
  const { versionId, deploymentId } = chain.output;
  const outputSeq = chain.output.evidence[0]!;
  const answered = (raised: Raised) =>
    raised.data.addressees.every((a) =>
      facts.some(
        (f) =>
          f.name === 'concern.answered' &&
          f.data.concernId === raised.data.concernId &&
          f.data.addressee.organisationId === a.organisationId &&
          instant(f.time) <= T,
      ),
    );
  return facts
    .filter(
      (f): f is Raised =>
        f.name === 'concern.raised' &&
        SERIOUS.includes(f.data.severity) &&
        instant(f.time) <= T &&
        (f.data.about.kind === 'deployment' ? f.data.about.deploymentId === deploymentId : f.data.about.versionId === versionId),
    )
    .filter((raised) => !answered(raised))
    .map((raised) => {
      const about = raised.data.about.kind === 'deployment' ? `deployment ${deploymentId}` : `version ${versionId}`;
      return finding(
        'CONCERN.OPEN_AT_OUTPUT_TIME',
        `Concern ${raised.data.concernId} (${raised.data.category}, severity ${raised.data.severity}) about ${about} was taken in at ${raised.time} and had not been answered by every addressee at ${chain.asOf}, when output ${chain.outputId} is judged.`,
        [outputSeq, raised.seq],
        { concernId: raised.data.concernId, severity: raised.data.severity, category: raised.data.category, raisedAt: raised.time },
      );
    });
}

/** Each addressee that had not acknowledged (or answered) by the due date, once `asOf` is past it. */
function dueDateFindings(
  raised: Raised,
  responses: readonly (Acknowledged | Answered)[],
  what: 'acknowledge' | 'answer',
  asOf: string,
): Finding[] {
  const due = what === 'acknowledge' ? raised.data.acknowledgeBy : raised.data.answerBy;
  if (instant(asOf) <= instant(due)) return [];
  const code = what === 'acknowledge' ? 'CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE' : 'CONCERN.NOT_ANSWERED_BY_DUE_DATE';
  const verb = what === 'acknowledge' ? 'acknowledgement' : 'answer';
  const out: Finding[] = [];
  for (const addressee of raised.data.addressees) {
    const own = responses.filter((f) => f.data.addressee.organisationId === addressee.organisationId);
    if (own.some((f) => instant(f.time) <= instant(due))) continue;
    const late = own[0];
    const who = `the ${addressee.party} ${addressee.organisationId}`;
    const kind = late && late.name === 'concern.answered' ? ` (${late.data.answer})` : '';
    const statement = late
      ? `Concern ${raised.data.concernId} (severity ${raised.data.severity}) was due for an ${verb} from ${who} by ${due}; the ${verb}${kind} was recorded as made at ${late.time}.`
      : `Concern ${raised.data.concernId} (severity ${raised.data.severity}) was due for an ${verb} from ${who} by ${due}; by ${asOf} the ledger holds none.`;
    out.push(
      finding(code, statement, [raised.seq, ...(late ? [late.seq] : [])], {
        concernId: raised.data.concernId,
        addressee,
        severity: raised.data.severity,
        dueAt: due,
        [what === 'acknowledge' ? 'acknowledgedAt' : 'answeredAt']: late ? late.time : null,
      }),
    );
  }
  return out;
}

/** Concerns of this one's category about its version, taken in by enough different organisations by `asOf`. */
function repeatFindings(raised: Raised, facts: readonly Fact[]): Finding[] {
  const { versionId } = raised.data.about;
  const alike = facts.filter(
    (f): f is Raised => f.name === 'concern.raised' && f.data.about.versionId === versionId && f.data.category === raised.data.category,
  );
  const organisations = [...new Set(alike.map((f) => f.data.intakeOrganisationId))].sort();
  if (organisations.length < REPEATED_CONCERN_ORGANISATIONS) return [];
  return [
    finding(
      'CONCERN.REPEATED_ACROSS_ORGANISATIONS',
      `${alike.length} concerns in the category ${raised.data.category} about version ${versionId} of model ${raised.data.about.modelId} were taken in by ${organisations.length} organisations: ${organisations.join(', ')}.`,
      alike.map((f) => f.seq),
      { versionId, category: raised.data.category, organisations, concernIds: alike.map((f) => f.data.concernId) },
    ),
  ];
}
