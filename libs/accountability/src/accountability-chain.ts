import { DEPLOYMENT_STATUS_AFTER, isDeploymentLifecycleEvent, type DeploymentLifecycleEventName, type DeploymentStatus } from '@aal/contracts';
import { clockMarks } from './clocks';
import type { Fact, FactName, FactNamed } from './fact';

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
export interface AccountabilityChain {
  readonly outputId: string;
  /** The moment the chain describes: `asOf` if given, else when the output was generated. */
  readonly asOf: string;
  /** Where `asOf` came from. */
  readonly asOfSource: 'output-generated' | 'requested';
  readonly output: Item<{ deploymentId: string; modelId: string; versionId: string; subjectRef: string; outputDigest: string; site: string; summary?: string; generatedAt: string; recordedAt: string; reportedBy: unknown }>;
  readonly built: {
    readonly model: Item<Record<string, unknown>> | null;
    readonly version: Item<Record<string, unknown> & { statusAtOutputTime: 'released' | 'withdrawn' | 'not-yet-released' }> | null;
    readonly safetyNoticesInForce: Item<Record<string, unknown>>[];
  };
  readonly approvedAndDeployed: {
    readonly deploymentId: string;
    readonly request: Item<Record<string, unknown>> | null;
    readonly approval: Item<Record<string, unknown>> | null;
    readonly activation: Item<Record<string, unknown>> | null;
    readonly stateAtOutputTime: Item<{ state: DeploymentState }>;
    readonly transitions: Item<{ event: string; effectiveAt: string; by: unknown; reason?: string }>[];
  };
  readonly instructed: {
    /** `coversProfessionals`: who saw or acted on the output in a role the policy names. */
    readonly policiesInForce: Item<Record<string, unknown> & { coversOutputSite: boolean; coversProfessionals: string[] }>[];
    readonly instructions: Item<Record<string, unknown>>[];
    readonly training: Array<{ professionalId: string; trainedAtOutputTime: boolean; records: Item<Record<string, unknown>>[] }>;
  };
  readonly actedOn: {
    readonly presentations: Item<Record<string, unknown>>[];
    readonly actions: Item<Record<string, unknown>>[];
  };
}

export type Item<T> = T & { readonly evidence: number[]; readonly recordedLateBySeconds?: number; readonly backDated?: true };

/** `unknown`: the ledger holds no lifecycle event of the deployment in effect at `asOf`. */
export type DeploymentState = 'unknown' | DeploymentStatus;

type Lifecycle = FactNamed<DeploymentLifecycleEventName>;

const at = (iso: string) => Date.parse(iso);
const withoutIds = (data: object, ...drop: string[]): Record<string, unknown> => Object.fromEntries(Object.entries(data).filter(([k]) => !drop.includes(k)));

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
}

/** Returns null when the facts hold no `output.generated` for this output. */
export function buildAccountabilityChain(outputId: string, facts: readonly Fact[], options: ChainOptions = {}): AccountabilityChain | null {
  const ordered = [...facts].sort((a, b) => a.seq - b.seq);
  const named = <N extends FactName>(name: N, pred: (f: FactNamed<N>) => boolean = () => true): FactNamed<N>[] =>
    ordered.filter((f): f is FactNamed<N> => f.name === name).filter(pred);
  const generated = named('output.generated', (f) => f.data.outputId === outputId)[0];
  if (!generated) return null;
  const g = generated.data;
  const asOf = options.asOf ?? generated.time;
  const T = at(asOf);
  const ledgerFields = (f: Fact, effectiveAt: string = f.time) => ({ happenedAt: f.time, recordedAt: f.recordedAt, evidence: [f.seq], ...clockMarks(f, effectiveAt, asOf) });
  const ofModel = (f: { data: { modelId: string } }) => f.data.modelId === g.modelId;
  const ofDeployment = (f: { data: { deploymentId: string } }) => f.data.deploymentId === g.deploymentId;
  const ofOutput = (f: { data: { outputId?: string } }) => f.data.outputId === outputId;

  // Built
  const registered = named('model.registered', ofModel)[0];
  const released = named('model.version.released', (f) => ofModel(f) && f.data.versionId === g.versionId)[0];
  const withdrawal = named('model.version.withdrawn', (f) => ofModel(f) && f.data.versionId === g.versionId).find((f) => at(effectiveTime(f)) <= T);
  // A notice is in force from when it was issued until the vendor resolved it.
  const resolvedBy = (noticeId: string) => named('model.safety-notice.resolved', (f) => ofModel(f) && f.data.noticeId === noticeId && at(f.time) <= T)[0];
  const notices = named('model.safety-notice.issued', (f) => ofModel(f) && f.data.affectedVersionIds.includes(g.versionId) && at(f.time) <= T && !resolvedBy(f.data.noticeId));

  // Approved and deployed
  const lifecycle = ordered.map(lifecycleOf).filter((f): f is Lifecycle => f !== null && ofDeployment(f));
  // Decisions apply in the order they were made (ledger order), each from its effective time: a
  // later, back-dated suspension overrides an earlier reinstatement.
  const inEffect = lifecycle.filter((f) => at(effectiveTime(f)) <= T);
  const lastInEffect = inEffect[inEffect.length - 1];
  const request = lifecycle.find((f): f is FactNamed<'deployment.requested'> => f.name === 'deployment.requested');
  const approval = lifecycle.find((f): f is FactNamed<'deployment.approved'> => f.name === 'deployment.approved' && at(f.time) <= T);
  const activation = inEffect.filter((f): f is FactNamed<'deployment.activated'> => f.name === 'deployment.activated').pop();

  // Acted on (who saw and acted on the output)
  const presentations = named('output.presented', ofOutput);
  const actions = named('output.acted-on', ofOutput);
  const instructions = named('instruction.given', ofOutput);
  const professionals = [
    ...new Set([...presentations.map((f) => f.data.professional.personId), ...actions.map((f) => f.data.professional.personId), ...instructions.map((f) => f.data.professionalId)]),
  ];
  const rolesSeen = [...presentations, ...actions].map((f) => f.data.professional);

  // Instructed
  const policies = named('usage-policy.issued', ofDeployment).filter((f) => at(f.data.effectiveFrom) <= T && (f.data.effectiveUntil === undefined || T < at(f.data.effectiveUntil)));
  const training = professionals.map((professionalId) => {
    const records = named('training.recorded', (f) => ofDeployment(f) && f.data.professionalId === professionalId);
    const valid = records.filter((f) => at(f.data.completedAt) <= T && (f.data.expiresAt === undefined || T < at(f.data.expiresAt)));
    return { professionalId, trainedAtOutputTime: valid.length > 0, records: records.map((f) => ({ ...withoutIds(f.data, 'deploymentId'), ...ledgerFields(f, f.data.completedAt) })) };
  });

  return {
    outputId,
    asOf,
    asOfSource: options.asOf === undefined ? 'output-generated' : 'requested',
    output: {
      deploymentId: g.deploymentId,
      modelId: g.modelId,
      versionId: g.versionId,
      subjectRef: g.subjectRef,
      outputDigest: g.outputDigest,
      site: g.site,
      ...(g.summary ? { summary: g.summary } : {}),
      generatedAt: generated.time,
      recordedAt: generated.recordedAt,
      reportedBy: g.actor,
      evidence: [generated.seq],
      ...clockMarks(generated, generated.time, asOf),
    },
    built: {
      model: registered ? { ...withoutIds(registered.data, 'actor'), registeredBy: registered.data.actor, ...ledgerFields(registered) } : null,
      version: released
        ? {
            ...withoutIds(released.data, 'actor', 'modelId', 'vendorId'),
            releasedBy: released.data.actor,
            statusAtOutputTime: withdrawal ? 'withdrawn' : at(released.time) <= T ? 'released' : 'not-yet-released',
            ...ledgerFields(released),
            ...(withdrawal ? { withdrawal: { effectiveAt: effectiveTime(withdrawal), reason: withdrawal.data.reason, withdrawnBy: withdrawal.data.actor, ...ledgerFields(withdrawal, effectiveTime(withdrawal)) } } : {}),
            evidence: [released.seq, ...(withdrawal ? [withdrawal.seq] : [])],
          }
        : null,
      safetyNoticesInForce: notices.map((f) => ({ ...withoutIds(f.data, 'actor', 'modelId', 'vendorId'), issuedBy: f.data.actor, ...ledgerFields(f) })),
    },
    approvedAndDeployed: {
      deploymentId: g.deploymentId,
      request: request ? { ...withoutIds(request.data, 'actor', 'deploymentId'), requestedBy: request.data.actor, ...ledgerFields(request) } : null,
      approval: approval ? { ...withoutIds(approval.data, 'actor', 'deploymentId'), approvedBy: approval.data.actor, ...ledgerFields(approval) } : null,
      activation: activation ? { sites: activation.data.sites, effectiveAt: effectiveTime(activation), activatedBy: activation.data.actor, ...ledgerFields(activation, effectiveTime(activation)) } : null,
      stateAtOutputTime: { state: lastInEffect ? DEPLOYMENT_STATUS_AFTER[lastInEffect.name] : 'unknown', evidence: inEffect.map((f) => f.seq) },
      transitions: lifecycle.map((f) => ({
        event: f.name,
        effectiveAt: effectiveTime(f),
        by: f.data.actor,
        ...(reasonOf(f) !== undefined ? { reason: reasonOf(f) } : {}),
        ...ledgerFields(f, effectiveTime(f)),
      })),
    },
    instructed: {
      policiesInForce: policies.map((f) => ({
        ...withoutIds(f.data, 'actor', 'deploymentId'),
        issuedBy: f.data.actor,
        coversOutputSite: f.data.sites.includes(g.site),
        coversProfessionals: [...new Set(rolesSeen.filter((p) => f.data.roles.includes(p.role)).map((p) => p.personId))],
        ...ledgerFields(f, f.data.effectiveFrom),
      })),
      instructions: instructions.map((f) => ({ ...withoutIds(f.data, 'actor', 'outputId'), recordedBy: f.data.actor, ...ledgerFields(f) })),
      training,
    },
    actedOn: {
      presentations: presentations.map((f) => ({ ...withoutIds(f.data, 'actor', 'outputId', 'organisationId'), ...ledgerFields(f) })),
      actions: actions.map((f) => ({ ...withoutIds(f.data, 'actor', 'outputId', 'organisationId'), ...ledgerFields(f) })),
    },
  };
}
