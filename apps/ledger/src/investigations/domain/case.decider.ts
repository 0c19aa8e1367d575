import type { Actor, CaseBasis, CaseView, RecommendationAddressee, RecommendationArisesFrom } from '@aal/contracts';
import { assertNever, type Decider } from '@aal/domain';
import { caseBasis, type ScopeRecord } from './case-mandate.rule';
import { caseErrors } from './case.errors';
import type { MandateState } from './mandate.decider';
import { recommendationErrors } from './recommendation.errors';
import { checkNewRecommendation, checkResponse, type RecommendationResponse, type RecommendationState } from './recommendation.rule';

/** A person as investigators are identified: pseudonyms are keyed per organisation, so both. */
export interface PersonRef {
  readonly organisationId: string;
  readonly personId: string;
}

/** A signed checkpoint, by what it commits to. */
export interface CheckpointRef {
  readonly treeSize: number;
  /** Hex. */
  readonly rootHash: string;
}

/** What a case is about: an incident (its outputs are those the incident report lists) or outputs named directly. */
export type CaseScope =
  | { readonly kind: 'incident'; readonly incidentId: string }
  | { readonly kind: 'outputs'; readonly outputIds: readonly string[] };

export interface OpenCaseState {
  readonly status: 'open' | 'closed';
  readonly caseId: string;
  readonly organisationId: string;
  readonly title: string;
  readonly scope: CaseScope;
  readonly openedBy: Actor;
  readonly openedAt: string;
  readonly openedAgainst: CheckpointRef;
  /** Why the opener's organisation may investigate each organisation's records; absent for cases opened before mandates (case.opened v1). */
  readonly basis?: CaseBasis;
  /** The opener first, then everyone granted access, in grant order. */
  readonly investigators: readonly PersonRef[];
  readonly closedAt?: string;
  readonly reads: number;
  /** Safety recommendations recorded on the case, in order; absent in states saved before recommendations existed. */
  readonly recommendations?: readonly RecommendationState[];
  /** The legal hold in force, if any (case.hold-placed not yet followed by case.hold-lifted). */
  readonly hold?: LegalHold;
}

/** An evidence freeze on a case: who placed it, when and why. */
export interface LegalHold {
  readonly placedBy: Actor;
  readonly placedAt: string;
  readonly reason: string;
}

export type CaseState = { readonly status: 'none' } | OpenCaseState;

/** Read positions, as the caller gave them. */
export interface ReadPositions {
  readonly knownAt?: number;
  readonly from?: number;
  readonly to?: number;
}

export type CaseCommand =
  | {
      readonly kind: 'OpenCase';
      readonly caseId: string;
      readonly title: string;
      readonly incidentId?: string;
      readonly outputIds?: readonly string[];
      /** The latest signed checkpoint when the case is opened; null while the log has none. */
      readonly checkpoint: CheckpointRef | null;
      /** The records the scope covers (the incident and its outputs, or the outputs), with their owners as the log says. */
      readonly records: readonly ScopeRecord[];
      /** The mandates given to the opener's organisation, as stored (the rule checks which are in force at `occurredAt`). */
      readonly mandates: readonly MandateState[];
      readonly actor: Actor;
      readonly occurredAt: string;
    }
  | {
      readonly kind: 'GrantAccess';
      readonly caseId: string;
      readonly grantee: PersonRef;
      readonly actor: Actor;
      readonly occurredAt: string;
    }
  | {
      readonly kind: 'RecordRead';
      readonly caseId: string;
      readonly view: CaseView;
      readonly positions: ReadPositions;
      /** Entries in the log when the read was made. */
      readonly logSize: number;
      /** `sha256:` digest of the answer, when it is complete before it is sent. */
      readonly contentDigest?: string;
      readonly outputId?: string;
      readonly deploymentId?: string;
      readonly actor: Actor;
      readonly occurredAt: string;
    }
  | { readonly kind: 'CloseCase'; readonly caseId: string; readonly reason?: string; readonly actor: Actor; readonly occurredAt: string }
  | {
      readonly kind: 'RecordRecommendation';
      readonly caseId: string;
      readonly recommendationId: string;
      readonly addressee: RecommendationAddressee;
      readonly recommendation: string;
      readonly dueBy: string;
      readonly arisesFrom?: RecommendationArisesFrom;
      readonly actor: Actor;
      readonly occurredAt: string;
    }
  | {
      readonly kind: 'RespondToRecommendation';
      readonly caseId: string;
      readonly recommendationId: string;
      readonly response: RecommendationResponse;
      readonly actor: Actor;
      readonly occurredAt: string;
    }
  | { readonly kind: 'PlaceHold'; readonly caseId: string; readonly reason: string; readonly actor: Actor; readonly occurredAt: string }
  | { readonly kind: 'LiftHold'; readonly caseId: string; readonly reason: string; readonly actor: Actor; readonly occurredAt: string };

/** What every recommendation event names. */
interface RecommendationRef {
  caseId: string;
  organisationId: string;
  recommendationId: string;
  addressee: RecommendationAddressee;
  actor: Actor;
}

/** Case events as the domain states them (catalogue name and data), with when they happened. */
export type CaseEvent =
  | {
      readonly name: 'case.opened';
      readonly occurredAt: string;
      readonly data: {
        caseId: string;
        organisationId: string;
        title: string;
        incidentId?: string;
        outputIds?: string[];
        openedAgainst: CheckpointRef;
        /** Absent only in case.opened v1 entries, replayed from before mandates. */
        basis?: CaseBasis;
        actor: Actor;
      };
    }
  | {
      readonly name: 'case.access-granted';
      readonly occurredAt: string;
      readonly data: { caseId: string; organisationId: string; grantee: PersonRef; actor: Actor };
    }
  | {
      readonly name: 'case.read';
      readonly occurredAt: string;
      readonly data: {
        caseId: string;
        organisationId: string;
        view: CaseView;
        knownAt?: number;
        from?: number;
        to?: number;
        logSize: number;
        contentDigest?: string;
        outputId?: string;
        deploymentId?: string;
        actor: Actor;
      };
    }
  | {
      readonly name: 'case.closed';
      readonly occurredAt: string;
      readonly data: { caseId: string; organisationId: string; reason?: string; actor: Actor };
    }
  | {
      readonly name: 'recommendation.recorded';
      readonly occurredAt: string;
      readonly data: RecommendationRef & {
        incidentId?: string;
        recommendation: string;
        dueBy: string;
        arisesFrom?: RecommendationArisesFrom;
      };
    }
  | { readonly name: 'recommendation.accepted'; readonly occurredAt: string; readonly data: RecommendationRef & { plan: string } }
  | { readonly name: 'recommendation.completed'; readonly occurredAt: string; readonly data: RecommendationRef & { reference: string } }
  | { readonly name: 'recommendation.rejected'; readonly occurredAt: string; readonly data: RecommendationRef & { reasons: string } }
  | {
      readonly name: 'case.hold-placed' | 'case.hold-lifted';
      readonly occurredAt: string;
      readonly data: { caseId: string; organisationId: string; reason: string; actor: Actor };
    };

const samePerson = (a: PersonRef, b: PersonRef) => a.organisationId === b.organisationId && a.personId === b.personId;

/**
 * The access rule of investigations (who may open a case on whose records is the mandate rule,
 * case-mandate.rule.ts): only a case's investigators (the person who opened it and
 * the people an investigator granted access) may read it, grant access to it or close it. Role
 * alone is not enough: an investigator of one case is a stranger to another.
 */
export function isInvestigator(state: CaseState, person: PersonRef): boolean {
  return state.status !== 'none' && state.investigators.some((p) => samePerson(p, person));
}

function requireCase(state: CaseState, caseId: string): OpenCaseState {
  if (state.status === 'none') throw caseErrors.notFound(caseId);
  return state;
}

/** Only reached if an event is folded into a state it cannot follow: a programming error. */
function existing(state: CaseState, event: CaseEvent): OpenCaseState {
  if (state.status === 'none') throw new Error(`${event.name} cannot apply to a case that was never opened`);
  return state;
}

function requireInvestigator(state: OpenCaseState, actor: Actor, doing: string): void {
  if (!isInvestigator(state, actor)) throw caseErrors.accessDenied(state.caseId, actor, doing);
}

function holdEvent(
  name: 'case.hold-placed' | 'case.hold-lifted',
  current: OpenCaseState,
  command: { readonly reason: string; readonly actor: Actor; readonly occurredAt: string },
): CaseEvent {
  return {
    name,
    occurredAt: command.occurredAt,
    data: { caseId: current.caseId, organisationId: current.organisationId, reason: command.reason, actor: command.actor },
  };
}

function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.kind) {
    case 'OpenCase': {
      if (state.status !== 'none') throw caseErrors.exists(command.caseId);
      const byIncident = command.incidentId !== undefined;
      const byOutputs = command.outputIds !== undefined && command.outputIds.length > 0;
      if (byIncident === byOutputs) throw caseErrors.scopeInvalid();
      const basis = caseBasis({
        investigatingOrganisationId: command.actor.organisationId,
        records: command.records,
        mandates: command.mandates,
        at: command.occurredAt,
      });
      if (command.checkpoint === null) throw caseErrors.noCheckpoint();
      return [
        {
          name: 'case.opened',
          occurredAt: command.occurredAt,
          data: {
            caseId: command.caseId,
            organisationId: command.actor.organisationId,
            title: command.title,
            ...(byIncident ? { incidentId: command.incidentId! } : { outputIds: [...command.outputIds!] }),
            openedAgainst: { treeSize: command.checkpoint.treeSize, rootHash: command.checkpoint.rootHash },
            basis,
            actor: command.actor,
          },
        },
      ];
    }
    case 'GrantAccess': {
      const current = requireCase(state, command.caseId);
      requireInvestigator(current, command.actor, 'grant access to it');
      if (current.status === 'closed') throw caseErrors.closedToGrants(current.caseId);
      if (isInvestigator(current, command.grantee)) return [];
      return [
        {
          name: 'case.access-granted',
          occurredAt: command.occurredAt,
          data: { caseId: current.caseId, organisationId: current.organisationId, grantee: { ...command.grantee }, actor: command.actor },
        },
      ];
    }
    case 'RecordRead': {
      const current = requireCase(state, command.caseId);
      requireInvestigator(current, command.actor, 'read it');
      const { knownAt, from, to } = command.positions;
      return [
        {
          name: 'case.read',
          occurredAt: command.occurredAt,
          data: {
            caseId: current.caseId,
            organisationId: current.organisationId,
            view: command.view,
            ...(knownAt !== undefined ? { knownAt } : {}),
            ...(from !== undefined ? { from } : {}),
            ...(to !== undefined ? { to } : {}),
            logSize: command.logSize,
            ...(command.contentDigest !== undefined ? { contentDigest: command.contentDigest } : {}),
            ...(command.outputId !== undefined ? { outputId: command.outputId } : {}),
            ...(command.deploymentId !== undefined ? { deploymentId: command.deploymentId } : {}),
            actor: command.actor,
          },
        },
      ];
    }
    case 'CloseCase': {
      const current = requireCase(state, command.caseId);
      requireInvestigator(current, command.actor, 'close it');
      if (current.status === 'closed') throw caseErrors.alreadyClosed(current.caseId);
      return [
        {
          name: 'case.closed',
          occurredAt: command.occurredAt,
          data: {
            caseId: current.caseId,
            organisationId: current.organisationId,
            ...(command.reason ? { reason: command.reason } : {}),
            actor: command.actor,
          },
        },
      ];
    }
    case 'RecordRecommendation': {
      const current = requireCase(state, command.caseId);
      requireInvestigator(current, command.actor, 'record a recommendation on it');
      if (current.status === 'closed') throw recommendationErrors.caseClosed(current.caseId);
      checkNewRecommendation(command.dueBy, command.arisesFrom, command.occurredAt);
      return [
        {
          name: 'recommendation.recorded',
          occurredAt: command.occurredAt,
          data: {
            caseId: current.caseId,
            organisationId: current.organisationId,
            ...(current.scope.kind === 'incident' ? { incidentId: current.scope.incidentId } : {}),
            recommendationId: command.recommendationId,
            addressee: { ...command.addressee },
            recommendation: command.recommendation,
            dueBy: command.dueBy,
            ...(command.arisesFrom ? { arisesFrom: command.arisesFrom } : {}),
            actor: command.actor,
          },
        },
      ];
    }
    case 'RespondToRecommendation': {
      const current = requireCase(state, command.caseId);
      const recommendation = (current.recommendations ?? []).find((r) => r.recommendationId === command.recommendationId);
      if (!recommendation) throw recommendationErrors.notFound(current.caseId, command.recommendationId);
      checkResponse(recommendation, command.response, command.actor);
      const ref = {
        caseId: current.caseId,
        organisationId: current.organisationId,
        recommendationId: recommendation.recommendationId,
        addressee: { ...recommendation.addressee },
        actor: command.actor,
      };
      const r = command.response;
      const event: CaseEvent =
        r.kind === 'accepted'
          ? { name: 'recommendation.accepted', occurredAt: command.occurredAt, data: { ...ref, plan: r.plan } }
          : r.kind === 'completed'
            ? { name: 'recommendation.completed', occurredAt: command.occurredAt, data: { ...ref, reference: r.reference } }
            : { name: 'recommendation.rejected', occurredAt: command.occurredAt, data: { ...ref, reasons: r.reasons } };
      return [event];
    }
    case 'PlaceHold': {
      const current = requireCase(state, command.caseId);
      requireInvestigator(current, command.actor, 'place a legal hold on it');
      if (current.hold) throw caseErrors.holdInForce(current.caseId, current.hold.placedAt);
      return [holdEvent('case.hold-placed', current, command)];
    }
    case 'LiftHold': {
      const current = requireCase(state, command.caseId);
      requireInvestigator(current, command.actor, 'lift its legal hold');
      if (!current.hold) throw caseErrors.noHold(current.caseId);
      // The organisation that froze the evidence answers for the freeze: only it may end it.
      if (current.hold.placedBy.organisationId !== command.actor.organisationId)
        throw caseErrors.holdNotTheirs(current.caseId, command.actor, current.hold.placedBy.organisationId);
      return [holdEvent('case.hold-lifted', current, command)];
    }
    default:
      return assertNever(command);
  }
}

const STATUS_AFTER = {
  'recommendation.accepted': 'accepted',
  'recommendation.completed': 'completed',
  'recommendation.rejected': 'rejected',
} as const;

function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.name) {
    case 'case.opened': {
      const d = event.data;
      return {
        status: 'open',
        caseId: d.caseId,
        organisationId: d.organisationId,
        title: d.title,
        scope:
          d.incidentId !== undefined ? { kind: 'incident', incidentId: d.incidentId } : { kind: 'outputs', outputIds: d.outputIds ?? [] },
        openedBy: d.actor,
        openedAt: event.occurredAt,
        openedAgainst: d.openedAgainst,
        ...(d.basis ? { basis: d.basis } : {}),
        investigators: [{ organisationId: d.actor.organisationId, personId: d.actor.personId }],
        reads: 0,
      };
    }
    case 'case.access-granted': {
      const current = existing(state, event);
      return { ...current, investigators: [...current.investigators, event.data.grantee] };
    }
    case 'case.read': {
      const current = existing(state, event);
      return { ...current, reads: current.reads + 1 };
    }
    case 'case.closed': {
      const current = existing(state, event);
      return { ...current, status: 'closed', closedAt: event.occurredAt };
    }
    case 'recommendation.recorded': {
      const current = existing(state, event);
      const { recommendationId, addressee, dueBy } = event.data;
      return {
        ...current,
        recommendations: [...(current.recommendations ?? []), { recommendationId, addressee, dueBy, status: 'recorded' }],
      };
    }
    case 'recommendation.accepted':
    case 'recommendation.completed':
    case 'recommendation.rejected': {
      const current = existing(state, event);
      const status = STATUS_AFTER[event.name];
      const recommendations = (current.recommendations ?? []).map((r) =>
        r.recommendationId === event.data.recommendationId ? { ...r, status } : r,
      );
      return { ...current, recommendations };
    }
    case 'case.hold-placed': {
      const current = existing(state, event);
      return { ...current, hold: { placedBy: event.data.actor, placedAt: event.occurredAt, reason: event.data.reason } };
    }
    case 'case.hold-lifted': {
      const { hold: _lifted, ...current } = existing(state, event);
      return current;
    }
    default:
      return assertNever(event);
  }
}

/** A case as a decider: who opened it against which checkpoint, who may read it, every read. */
export const caseDecider: Decider<CaseCommand, CaseState, CaseEvent> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};
