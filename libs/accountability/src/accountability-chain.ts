import { DEPLOYMENT_STATUS_AFTER, type Actor, isDeploymentLifecycleEvent, type DeploymentLifecycleEventName } from '@aal/contracts';
import type { AccountabilityChain } from './accountability-chain.schema';
import type { ChainPartMemo } from './chain-part-memo';
import { clockMarks } from './clocks';
import { instant } from './instants';
import type { Fact, FactName, FactNamed } from './fact';
import { checkScope, type ScopeCheckInput } from './scope-checks';

/**
 * The accountability chain of one AI output, as it stood at `asOf` (by default when the output was
 * produced): who built it, who approved and deployed it, who instructed its use, and who acted on
 * it. Every item names the ledger entries (`evidence`, sequence numbers) that prove it, and both
 * clocks: `happenedAt` and `recordedAt`, plus `recordedLateBySeconds` / `backDated` when they apply
 * (see clocks.ts). Pure: built from the facts it is given alone, so what the ledger knew is decided
 * by the caller choosing the facts.
 *
 * What `asOf` governs: everything "in force" (version status, safety notices, deployment state,
 * approval, activation, policies, training). Facts about the output itself (presentations,
 * actions, instructions) are always listed, each with its own `happenedAt`.
 */
export type { AccountabilityChain, DeploymentState } from './accountability-chain.schema';

export type Item<T> = T & { readonly evidence: number[]; readonly recordedLateBySeconds?: number; readonly backDated?: true };

type Lifecycle = FactNamed<DeploymentLifecycleEventName>;

const at = instant;

/**
 * A copy of an event's data without the keys the chain states elsewhere (ids it already names,
 * the actor it renames), keys in their order.
 */
function withoutIds(data: object, drop: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    if (drop.includes(key)) continue;
    const value = (data as Record<string, unknown>)[key];
    // A plain assignment to `__proto__` would set the prototype instead of copying the member.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

const ACTOR = ['actor'] as const;
const ACTOR_MODEL_VENDOR = ['actor', 'modelId', 'vendorId'] as const;
const ACTOR_DEPLOYMENT = ['actor', 'deploymentId'] as const;
const ACTOR_OUTPUT = ['actor', 'outputId'] as const;
const ACTOR_OUTPUT_ORGANISATION = ['actor', 'outputId', 'organisationId'] as const;
const DEPLOYMENT = ['deploymentId'] as const;

/** The deployment a fact is about, for the facts that are about one deployment's lifecycle. */
function lifecycleOf(f: Fact): Lifecycle | null {
  // The guard narrows the name, not the union member it belongs to.
  return isDeploymentLifecycleEvent(f.name) ? (f as Lifecycle) : null;
}

/** When a lifecycle transition took effect: its `effectiveAt` if it has one, else when it happened. */
function effectiveTime(f: Lifecycle | FactNamed<'model.version.withdrawn'>): string {
  return 'effectiveAt' in f.data ? f.data.effectiveAt : f.time;
}

/** The reason a transition states, if its event carries one. */
function reasonOf(f: Lifecycle): string | undefined {
  return 'reason' in f.data && typeof f.data.reason === 'string' && f.data.reason !== '' ? f.data.reason : undefined;
}

export interface ChainOptions {
  /** RFC 3339 time to evaluate what was in force; defaults to the output's generation time. */
  readonly asOf?: string;
  /** Reuse of the parts outputs share, for a caller building many chains from one set of facts (see ChainPartMemo). */
  readonly memo?: ChainPartMemo;
}

/** Returns null when the facts hold no `output.generated` for this output. */
export function buildAccountabilityChain(outputId: string, facts: readonly Fact[], options: ChainOptions = {}): AccountabilityChain | null {
  const byName = factsByName(facts);
  const generated = byName.of('output.generated').find((f) => f.data.outputId === outputId);
  if (!generated) return null;
  const asOf = options.asOf ?? generated.time;
  const c: ChainContext = { outputId, generated, g: generated.data, deploymentId: generated.data.deploymentId, asOf, T: at(asOf), byName };
  const actedOn = actedOnPart(c);
  const { memo } = options;
  const v: VersionContext = { modelId: c.g.modelId, versionId: c.g.versionId, asOf, T: c.T, byName };
  const built = memo
    ? memo.part('built', [v.modelId, v.versionId], byName.ordered, readsBuilt, c.T, (f) =>
        builtPart({ ...v, byName: factsByName(f, readsBuilt) }),
      )
    : builtPart(v);
  const approvedAndDeployed = memo
    ? memo.part('deployed', [c.deploymentId], byName.ordered, readsDeployed, c.T, (f) =>
        deployedPart({ deploymentId: c.deploymentId, asOf, T: c.T, byName: factsByName(f, readsDeployed) }),
      )
    : deployedPart(c);
  const u: InstructedContext = { deploymentId: c.deploymentId, site: c.g.site, asOf, T: c.T, byName };
  const instructed = memo
    ? memo.part(
        'instructed',
        [u.deploymentId, u.site, actedOn.professionals, actedOn.rolesSeen, actedOn.instructions.map((f) => memo.idOf(f))],
        byName.ordered,
        readsInstructed,
        c.T,
        (f) => instructedPart({ ...u, byName: factsByName(f, readsInstructed) }, actedOn),
      )
    : instructedPart(u, actedOn);
  return {
    outputId,
    asOf,
    asOfSource: options.asOf === undefined ? 'output-generated' : 'requested',
    output: outputItem(c),
    built,
    approvedAndDeployed,
    instructed,
    actedOn: {
      presentations: actedOn.presentations.map((f) => item(c, f, ACTOR_OUTPUT_ORGANISATION)),
      actions: actedOn.actions.map((f) => item(c, f, ACTOR_OUTPUT_ORGANISATION)),
    },
    scopeChecks: checkScope(scopeCheckInput(c, actedOn, approvedAndDeployed, instructed)),
  };
}

/** The facts given, by catalogue name, each list in ledger order: every part looks up only its own kinds. */
interface FactsByName {
  of<N extends FactName>(name: N): readonly FactNamed<N>[];
  /** Every fact, in ledger order. */
  readonly ordered: readonly Fact[];
}

/**
 * `facts` by name. With `reads`, a view for a memoised part (ChainPartMemo): `facts` are then only
 * the kinds it declares, and asking for another kind throws, so an undeclared dependence fails a
 * test instead of reusing a part built from other facts.
 */
function factsByName(facts: readonly Fact[], reads?: (kind: FactName) => boolean): FactsByName {
  const ordered = [...facts].sort((a, b) => a.seq - b.seq);
  const lists = new Map<FactName, Fact[]>();
  for (const f of ordered) {
    const list = lists.get(f.name);
    if (list) list.push(f);
    else lists.set(f.name, [f]);
  }
  const none: readonly Fact[] = [];
  return {
    ordered,
    of: <N extends FactName>(name: N) => {
      if (reads && !reads(name)) throw new Error(`a memoised chain part read ${name}, which it does not declare`);
      return (lists.get(name) ?? none) as readonly FactNamed<N>[];
    },
  };
}

/** The kinds of fact each memoised part reads (see ChainPartMemo); the part's view refuses any other. */
const readsBuilt = (kind: FactName) =>
  kind === 'model.registered' ||
  kind === 'model.version.released' ||
  kind === 'model.version.withdrawn' ||
  kind === 'model.safety-notice.issued' ||
  kind === 'model.safety-notice.resolved';
const readsDeployed = (kind: FactName) =>
  isDeploymentLifecycleEvent(kind) || kind === 'deployment.scope-changed' || kind === 'deployment.reviewed';
const readsInstructed = (kind: FactName) => kind === 'usage-policy.issued' || kind === 'training.recorded' || kind === 'instruction.given';

/** What the deployment's part is built against: the deployment, the moment asked about, the facts. */
interface DeploymentContext {
  readonly deploymentId: string;
  readonly asOf: string;
  /** `asOf` in milliseconds. */
  readonly T: number;
  readonly byName: FactsByName;
}

/** What the version's part is built against: the model and version the output names, the moment asked about, the facts. */
interface VersionContext {
  readonly modelId: string;
  readonly versionId: string;
  readonly asOf: string;
  readonly T: number;
  readonly byName: FactsByName;
}

/** What the instructed part is built against besides who acted on the output: its deployment and site. */
interface InstructedContext extends DeploymentContext {
  readonly site: string;
}

/** What every part of one chain is built against: the output and its deployment, the moment asked about, the facts. */
interface ChainContext extends DeploymentContext {
  readonly outputId: string;
  readonly generated: FactNamed<'output.generated'>;
  readonly g: FactNamed<'output.generated'>['data'];
}

type LedgerFields = { happenedAt: string; recordedAt: string; evidence: number[]; recordedLateBySeconds?: number; backDated?: true };

/**
 * Completes an item under construction with the ledger's own fields: both clocks, the entry that
 * proves it, and its clock marks, after its other members. Written into `target` (the same
 * members, in the same order, as spreading them into a new object, without the copies).
 */
function withLedgerFields<T extends object>(
  c: Pick<ChainContext, 'asOf'>,
  target: T,
  f: Fact,
  effectiveAt: string = f.time,
): T & LedgerFields {
  const out = target as T & LedgerFields;
  out.happenedAt = f.time;
  out.recordedAt = f.recordedAt;
  out.evidence = [f.seq];
  const marks = clockMarks(f, effectiveAt, c.asOf);
  if (marks.recordedLateBySeconds !== undefined) out.recordedLateBySeconds = marks.recordedLateBySeconds;
  if (marks.backDated) out.backDated = true;
  return out;
}

/** `D` without `K`, member by member of a union (one per event version). */
type Without<D, K extends PropertyKey> = D extends unknown ? Omit<D, K> : never;

/** An item for an event: its data without `drop`, then `named` (who did it, statuses), then the ledger's fields. */
function item<F extends Fact, const K extends string, E extends Record<string, unknown>>(
  c: Pick<ChainContext, 'asOf'>,
  f: F,
  drop: readonly K[],
  named: E | null = null,
  effectiveAt: string = f.time,
): Without<F['data'], K> & E & LedgerFields {
  const out = withoutIds(f.data, drop);
  if (named) for (const key of Object.keys(named)) out[key] = named[key];
  return withLedgerFields(c, out, f, effectiveAt) as Without<F['data'], K> & E & LedgerFields;
}

const ofModel = (c: VersionContext) => (f: { data: { modelId: string } }) => f.data.modelId === c.modelId;
const ofDeployment = (c: DeploymentContext) => (f: { data: { deploymentId: string } }) => f.data.deploymentId === c.deploymentId;
const ofOutput = (c: ChainContext) => (f: { data: { outputId?: string } }) => f.data.outputId === c.outputId;

function outputItem(c: ChainContext): AccountabilityChain['output'] {
  const { g, generated } = c;
  const out: Record<string, unknown> = {
    deploymentId: g.deploymentId,
    modelId: g.modelId,
    versionId: g.versionId,
    subjectRef: g.subjectRef,
    outputDigest: g.outputDigest,
    site: g.site,
  };
  if ('service' in g && g.service !== undefined) out['service'] = g.service;
  if ('population' in g && g.population !== undefined) out['population'] = g.population;
  if (g.summary) out['summary'] = g.summary;
  out['generatedAt'] = generated.time;
  out['recordedAt'] = generated.recordedAt;
  out['reportedBy'] = g.actor;
  out['evidence'] = [generated.seq];
  const marks = clockMarks(generated, generated.time, c.asOf);
  if (marks.recordedLateBySeconds !== undefined) out['recordedLateBySeconds'] = marks.recordedLateBySeconds;
  if (marks.backDated) out['backDated'] = true;
  return out as AccountabilityChain['output'];
}

/** Built: the model, the version's status at `asOf`, and the safety notices then in force. */
function builtPart(c: VersionContext): AccountabilityChain['built'] {
  const { byName, T } = c;
  const g = c;
  const model = ofModel(c);
  const registered = byName.of('model.registered').find(model);
  const released = byName.of('model.version.released').find((f) => model(f) && f.data.versionId === g.versionId);
  const withdrawal = byName
    .of('model.version.withdrawn')
    .find((f) => model(f) && f.data.versionId === g.versionId && at(effectiveTime(f)) <= T);
  // A notice is in force from when it was issued until the vendor resolved it.
  const resolved = byName.of('model.safety-notice.resolved');
  const resolvedBy = (noticeId: string) => resolved.some((f) => model(f) && f.data.noticeId === noticeId && at(f.time) <= T);
  const notices = byName
    .of('model.safety-notice.issued')
    .filter((f) => model(f) && f.data.affectedVersionIds.includes(g.versionId) && at(f.time) <= T && !resolvedBy(f.data.noticeId));
  return {
    model: registered ? item(c, registered, ACTOR, { registeredBy: registered.data.actor }) : null,
    version: released ? versionItem(c, released, withdrawal) : null,
    safetyNoticesInForce: notices.map((f) => item(c, f, ACTOR_MODEL_VENDOR, { issuedBy: f.data.actor })),
  };
}

/** The released version, its status at `asOf` and, when it applies, its withdrawal. */
function versionItem(
  c: VersionContext,
  released: FactNamed<'model.version.released'>,
  withdrawal: FactNamed<'model.version.withdrawn'> | undefined,
): NonNullable<AccountabilityChain['built']['version']> {
  const statusAtOutputTime = withdrawal ? 'withdrawn' : at(released.time) <= c.T ? 'released' : 'not-yet-released';
  const out: Record<string, unknown> = item(c, released, ACTOR_MODEL_VENDOR, { releasedBy: released.data.actor, statusAtOutputTime });
  if (withdrawal) {
    const effectiveAt = effectiveTime(withdrawal);
    out['withdrawal'] = withLedgerFields(
      c,
      { effectiveAt, reason: withdrawal.data.reason, withdrawnBy: withdrawal.data.actor },
      withdrawal,
      effectiveAt,
    );
  }
  // Both entries prove the status; the key keeps its place after `recordedAt`.
  out['evidence'] = withdrawal ? [released.seq, withdrawal.seq] : [released.seq];
  return out as NonNullable<AccountabilityChain['built']['version']>;
}

/** Approved and deployed: the deployment's request, approval, activation and state at `asOf`. */
function deployedPart(c: DeploymentContext): AccountabilityChain['approvedAndDeployed'] {
  const { T } = c;
  const deployment = ofDeployment(c);
  const lifecycle = c.byName.ordered.map(lifecycleOf).filter((f): f is Lifecycle => f !== null && deployment(f));
  // Decisions apply in the order they were made (ledger order), each from its effective time: a
  // later, back-dated suspension overrides an earlier reinstatement.
  const inEffect = lifecycle.filter((f) => at(effectiveTime(f)) <= T);
  const lastInEffect = inEffect[inEffect.length - 1];
  const request = lifecycle.find((f): f is FactNamed<'deployment.requested'> => f.name === 'deployment.requested');
  const approval = lifecycle.find((f): f is FactNamed<'deployment.approved'> => f.name === 'deployment.approved' && at(f.time) <= T);
  const activation = inEffect.filter((f): f is FactNamed<'deployment.activated'> => f.name === 'deployment.activated').pop();
  const { scope, reviewDateInForce } = scopeInForce(c, approval);
  return {
    deploymentId: c.deploymentId,
    request: request ? item(c, request, ACTOR_DEPLOYMENT, { requestedBy: request.data.actor }) : null,
    approval: approval ? item(c, approval, ACTOR_DEPLOYMENT, { approvedBy: approval.data.actor }) : null,
    activation: activation
      ? withLedgerFields(
          c,
          { sites: activation.data.sites, effectiveAt: effectiveTime(activation), activatedBy: activation.data.actor },
          activation,
          effectiveTime(activation),
        )
      : null,
    scope,
    reviewDateInForce,
    stateAtOutputTime: {
      state: lastInEffect ? DEPLOYMENT_STATUS_AFTER[lastInEffect.name] : 'unknown',
      evidence: inEffect.map((f) => f.seq),
    },
    transitions: lifecycle.map((f) => {
      const transition: { event: DeploymentLifecycleEventName; effectiveAt: string; by: Actor; reason?: string } = {
        event: f.name,
        effectiveAt: effectiveTime(f),
        by: f.data.actor,
      };
      const reason = reasonOf(f);
      if (reason !== undefined) transition.reason = reason;
      return withLedgerFields(c, transition, f, transition.effectiveAt);
    }),
  };
}

/**
 * A deployment's request, approval, activation, scope and review date in force, state and
 * transitions at `asOf`, from `facts` alone, exactly as an output's chain shows them: the part of
 * the chain a deployment-level answer (deployment-scope-answer.ts) shares with it.
 */
export function deploymentPartAt(deploymentId: string, facts: readonly Fact[], asOf: string): AccountabilityChain['approvedAndDeployed'] {
  return deployedPart({ deploymentId, asOf, T: at(asOf), byName: factsByName(facts) });
}

/** Every scope change of the deployment in `facts`, in ledger order, as chain items; `effectiveByAsOf`: it had taken effect by `asOf` (the last of those is the one in force). */
export function scopeChangeItems(deploymentId: string, facts: readonly Fact[], asOf: string) {
  const c = { asOf };
  return factsByName(facts)
    .of('deployment.scope-changed')
    .filter((f) => f.data.deploymentId === deploymentId)
    .map((f) =>
      item(c, f, ACTOR_DEPLOYMENT, { decidedBy: f.data.actor, effectiveByAsOf: at(f.data.effectiveAt) <= at(asOf) }, f.data.effectiveAt),
    );
}

/** Acted on: who saw the output, what they did, and the instructions given about it (always listed). */
function actedOnPart(c: ChainContext) {
  const output = ofOutput(c);
  const presentations = c.byName.of('output.presented').filter(output);
  const actions = c.byName.of('output.acted-on').filter(output);
  const instructions = c.byName.of('instruction.given').filter(output);
  const professionals = [
    ...new Set([
      ...presentations.map((f) => f.data.professional.personId),
      ...actions.map((f) => f.data.professional.personId),
      ...instructions.map((f) => f.data.professionalId),
    ]),
  ];
  const rolesSeen = [...presentations, ...actions].map((f) => f.data.professional);
  return { presentations, actions, instructions, professionals, rolesSeen };
}

/** Instructed: the usage policies in force at `asOf`, the instructions, and each professional's training. */
function instructedPart(c: InstructedContext, actedOn: ReturnType<typeof actedOnPart>): AccountabilityChain['instructed'] {
  const { T } = c;
  const deployment = ofDeployment(c);
  const policies = c.byName
    .of('usage-policy.issued')
    .filter(
      (f) => deployment(f) && at(f.data.effectiveFrom) <= T && (f.data.effectiveUntil === undefined || T < at(f.data.effectiveUntil)),
    );
  const trainingRecords = c.byName.of('training.recorded').filter(deployment);
  const training = actedOn.professionals.map((professionalId) => {
    const records = trainingRecords.filter((f) => f.data.professionalId === professionalId);
    const valid = records.filter((f) => at(f.data.completedAt) <= T && (f.data.expiresAt === undefined || T < at(f.data.expiresAt)));
    return {
      professionalId,
      trainedAtOutputTime: valid.length > 0,
      records: records.map((f) => item(c, f, DEPLOYMENT, null, f.data.completedAt)),
    };
  });
  return {
    policiesInForce: policies.map((f) =>
      item(
        c,
        f,
        ACTOR_DEPLOYMENT,
        {
          issuedBy: f.data.actor,
          coversOutputSite: f.data.sites.includes(c.site),
          coversProfessionals: [...new Set(actedOn.rolesSeen.filter((p) => f.data.roles.includes(p.role)).map((p) => p.personId))],
        },
        f.data.effectiveFrom,
      ),
    ),
    instructions: actedOn.instructions.map((f) => item(c, f, ACTOR_OUTPUT, { recordedBy: f.data.actor })),
    training,
  };
}

type ScopeSource = FactNamed<'deployment.approved'> | FactNamed<'deployment.scope-changed'>;
type ReviewSource = ScopeSource | FactNamed<'deployment.reviewed'>;

/**
 * The scope and the review date in force at `asOf`. Like lifecycle decisions, they apply in the
 * order they were made (ledger order), each from its effective time: the approval from when it was
 * made, a scope change or a review from its `effectiveAt`; a later, back-dated change overrides.
 */
function scopeInForce(
  c: DeploymentContext,
  approval: FactNamed<'deployment.approved'> | undefined,
): Pick<AccountabilityChain['approvedAndDeployed'], 'scope' | 'reviewDateInForce'> {
  const deployment = ofDeployment(c);
  const changes = c.byName.of('deployment.scope-changed').filter((f) => deployment(f) && at(f.data.effectiveAt) <= c.T);
  const reviews = c.byName.of('deployment.reviewed').filter((f) => deployment(f) && at(f.data.effectiveAt) <= c.T);
  const bySeq = (a: Fact, b: Fact) => a.seq - b.seq;
  const scoped = [...(approval && 'scope' in approval.data ? [approval] : []), ...changes].sort(bySeq);
  const scopeFact = scoped[scoped.length - 1] as ScopeSource | undefined;
  const dated = [...(approval ? [approval] : []), ...changes, ...reviews].sort(bySeq);
  const dateFact = dated[dated.length - 1] as ReviewSource | undefined;
  const effective = (f: ReviewSource) => ('effectiveAt' in f.data ? f.data.effectiveAt : f.time);
  let scope: AccountabilityChain['approvedAndDeployed']['scope'] = null;
  if (scopeFact && 'scope' in scopeFact.data) {
    const entry: Record<string, unknown> = {
      source: scopeFact.name,
      scope: scopeFact.data.scope,
      effectiveAt: effective(scopeFact),
      decidedBy: scopeFact.data.actor,
    };
    if ('reason' in scopeFact.data) entry['reason'] = scopeFact.data.reason;
    scope = withLedgerFields(c, entry, scopeFact, effective(scopeFact)) as NonNullable<typeof scope>;
  }
  const reviewDateInForce = dateFact
    ? withLedgerFields(
        c,
        {
          reviewDate: 'nextReviewDate' in dateFact.data ? dateFact.data.nextReviewDate : dateFact.data.reviewDate,
          source: dateFact.name,
          effectiveAt: effective(dateFact),
          decidedBy: dateFact.data.actor,
        },
        dateFact,
        effective(dateFact),
      )
    : null;
  return { scope, reviewDateInForce };
}

/** What the scope checks read: the facts this chain shows, each with the entry that proves it. */
function scopeCheckInput(
  c: ChainContext,
  actedOn: ReturnType<typeof actedOnPart>,
  deployed: AccountabilityChain['approvedAndDeployed'],
  instructed: AccountabilityChain['instructed'],
): ScopeCheckInput {
  const { g, generated } = c;
  const released = c.byName.of('model.version.released').find((f) => f.data.modelId === g.modelId && f.data.versionId === g.versionId);
  const coded = released && 'intendedPopulation' in released.data ? released.data : null;
  const mandatoryPolicies = instructed.policiesInForce.filter(
    (p) => p['use'] === 'mandatory' && p.coversOutputSite && p.coversProfessionals.length > 0,
  );
  return {
    outputId: c.outputId,
    deploymentId: g.deploymentId,
    asOf: c.asOf,
    output: {
      seq: generated.seq,
      site: g.site,
      ...('service' in g && g.service !== undefined ? { service: g.service } : {}),
      ...('population' in g && g.population !== undefined ? { population: g.population } : {}),
    },
    approval: deployed.approval ? { seq: deployed.approval.evidence[0]! } : null,
    scope: deployed.scope ? { seq: deployed.scope.evidence[0]!, scope: deployed.scope.scope, source: deployed.scope.source } : null,
    reviewDate: deployed.reviewDateInForce
      ? {
          seq: deployed.reviewDateInForce.evidence[0]!,
          reviewDate: deployed.reviewDateInForce.reviewDate,
          source: deployed.reviewDateInForce.source,
        }
      : null,
    version: released
      ? {
          seq: released.seq,
          versionId: g.versionId,
          ...(coded ? { intendedPopulation: coded.intendedPopulation, codedContraindications: coded.contraindications } : {}),
        }
      : null,
    professionals: [...actedOn.presentations, ...actedOn.actions]
      .sort((a, b) => a.seq - b.seq)
      .map((f) => ({ personId: f.data.professional.personId, role: f.data.professional.role, seq: f.seq })),
    mandates: [
      ...mandatoryPolicies.map((p) => ({ kind: 'policy' as const, id: String(p['policyId']), seq: p.evidence[0]! })),
      ...actedOn.instructions
        .filter((f) => f.data.kind === 'use-ai' || f.data.kind === 'follow-ai')
        .map((f) => ({ kind: 'instruction' as const, id: f.data.instructionId, seq: f.seq })),
    ].sort((a, b) => a.seq - b.seq),
  };
}
