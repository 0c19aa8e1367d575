import type { Actor, MandateKind, MandateScope } from '@aal/contracts';
import { assertNever, type Decider } from '@aal/domain';
import { GRANTING_ROLES, mandateErrors } from './mandate.errors';

/**
 * Whose records a mandate's scope names, as the log says (loaded by the caller before deciding):
 * the incident's reporting organisation, each output's organisation; null when the ledger holds
 * no such record.
 */
export interface ScopeOwners {
  readonly incident?: { readonly incidentId: string; readonly organisationId: string | null };
  readonly outputs: ReadonlyArray<{ readonly outputId: string; readonly organisationId: string | null }>;
}

export interface MandateGrant {
  readonly mandateId: string;
  readonly kind: MandateKind;
  readonly organisationId: string;
  readonly grantingOrganisationId: string;
  readonly investigatingOrganisationId: string;
  readonly scope: MandateScope;
  readonly reference: string;
  readonly until?: string;
  readonly grantedBy: Actor;
  readonly grantedAt: string;
}

export type MandateState =
  | { readonly status: 'none' }
  | (MandateGrant & { readonly status: 'granted' })
  | (MandateGrant & { readonly status: 'revoked'; readonly revokedBy: Actor; readonly revokedAt: string; readonly reason?: string });

export type MandateCommand =
  | {
      readonly kind: 'GrantMandate';
      readonly mandateId: string;
      readonly mandateKind: MandateKind;
      readonly investigatingOrganisationId: string;
      readonly scope: MandateScope;
      /** Named by the caller; required for an organisation-wide scope, else it must agree with the records' owner. */
      readonly organisationId?: string;
      readonly reference: string;
      readonly until?: string;
      readonly owners: ScopeOwners;
      readonly actor: Actor;
      readonly occurredAt: string;
    }
  | {
      readonly kind: 'RevokeMandate';
      readonly mandateId: string;
      readonly reason?: string;
      readonly actor: Actor;
      readonly occurredAt: string;
    };

export type MandateEvent =
  | {
      readonly name: 'mandate.granted';
      readonly occurredAt: string;
      readonly data: {
        mandateId: string;
        kind: MandateKind;
        organisationId: string;
        grantingOrganisationId: string;
        investigatingOrganisationId: string;
        scope: MandateScope;
        reference: string;
        until?: string;
        actor: Actor;
      };
    }
  | {
      readonly name: 'mandate.revoked';
      readonly occurredAt: string;
      readonly data: { mandateId: string; organisationId: string; reason?: string; actor: Actor };
    };

/** The scopes each kind may cover: a referral is of an incident; only a regulator covers a whole organisation. */
const SCOPES: Record<MandateKind, ReadonlyArray<MandateScope['kind']>> = {
  'incident-referral': ['incident'],
  'data-controller-grant': ['incident', 'outputs'],
  'regulator-mandate': ['incident', 'outputs', 'organisation'],
};

/** A mandate that lets cases be opened at `at`: granted, not revoked, not past its `until`. */
export function inForce(state: MandateState, at: string): state is MandateGrant & { status: 'granted' } {
  return state.status === 'granted' && (state.until === undefined || Date.parse(at) < Date.parse(state.until));
}

/** Whose records the scope names: exactly one organisation, known to the ledger, or a refusal. */
function ownerOf(command: Extract<MandateCommand, { kind: 'GrantMandate' }>): string {
  if (command.scope.kind === 'organisation') {
    if (!command.organisationId) throw mandateErrors.organisationRequired();
    return command.organisationId;
  }
  const { owners } = command;
  if (command.scope.kind === 'incident' && (!owners.incident || owners.incident.organisationId === null))
    throw mandateErrors.unknownIncident(command.scope.incidentId);
  const unknown = owners.outputs.filter((o) => o.organisationId === null).map((o) => o.outputId);
  if (command.scope.kind === 'outputs' && unknown.length > 0) throw mandateErrors.unknownOutputs(unknown);
  const named =
    command.scope.kind === 'incident'
      ? [{ what: `incident ${command.scope.incidentId}`, organisationId: owners.incident!.organisationId! }]
      : owners.outputs.map((o) => ({ what: `output ${o.outputId}`, organisationId: o.organisationId! }));
  if (command.mandateKind !== 'regulator-mandate') {
    const foreign = named.filter((n) => n.organisationId !== command.actor.organisationId);
    if (foreign.length > 0) throw mandateErrors.notOwnRecords(command.actor.organisationId, foreign);
  }
  const organisations = [...new Set(named.map((n) => n.organisationId))];
  if (organisations.length > 1) throw mandateErrors.spansOrganisations(organisations);
  const owner = organisations[0]!;
  if (command.organisationId !== undefined && command.organisationId !== owner)
    throw mandateErrors.organisationMismatch(command.organisationId, owner);
  return owner;
}

function decide(command: MandateCommand, state: MandateState): MandateEvent[] {
  switch (command.kind) {
    case 'GrantMandate': {
      if (state.status !== 'none') throw mandateErrors.exists(command.mandateId);
      // The request, then who may give it, then the records it names.
      if (!SCOPES[command.mandateKind].includes(command.scope.kind))
        throw mandateErrors.scopeNotAllowed(command.mandateKind, command.scope.kind, SCOPES[command.mandateKind]);
      if (command.until !== undefined && Date.parse(command.until) <= Date.parse(command.occurredAt))
        throw mandateErrors.untilPassed(command.until, command.occurredAt);
      const roles: readonly string[] = GRANTING_ROLES[command.mandateKind];
      if (!roles.includes(command.actor.role)) throw mandateErrors.roleNotAllowed(command.mandateKind, command.actor.role, roles);
      const organisationId = ownerOf(command);
      if (organisationId === command.investigatingOrganisationId) throw mandateErrors.ownRecords(organisationId);
      return [
        {
          name: 'mandate.granted',
          occurredAt: command.occurredAt,
          data: {
            mandateId: command.mandateId,
            kind: command.mandateKind,
            organisationId,
            grantingOrganisationId: command.actor.organisationId,
            investigatingOrganisationId: command.investigatingOrganisationId,
            scope: command.scope,
            reference: command.reference,
            ...(command.until !== undefined ? { until: command.until } : {}),
            actor: command.actor,
          },
        },
      ];
    }
    case 'RevokeMandate': {
      if (state.status === 'none') throw mandateErrors.notFound(command.mandateId);
      const roles: readonly string[] = GRANTING_ROLES[state.kind];
      if (command.actor.organisationId !== state.grantingOrganisationId || !roles.includes(command.actor.role))
        throw mandateErrors.revokeDenied(state.mandateId, state.grantingOrganisationId);
      if (state.status === 'revoked') throw mandateErrors.alreadyRevoked(state.mandateId);
      return [
        {
          name: 'mandate.revoked',
          occurredAt: command.occurredAt,
          data: {
            mandateId: state.mandateId,
            organisationId: state.organisationId,
            ...(command.reason ? { reason: command.reason } : {}),
            actor: command.actor,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: MandateState, event: MandateEvent): MandateState {
  switch (event.name) {
    case 'mandate.granted': {
      const { actor, kind, ...d } = event.data;
      return { status: 'granted', ...d, kind, grantedBy: actor, grantedAt: event.occurredAt };
    }
    case 'mandate.revoked': {
      if (state.status === 'none') throw new Error('mandate.revoked cannot apply to a mandate never granted');
      return {
        ...state,
        status: 'revoked',
        revokedBy: event.data.actor,
        revokedAt: event.occurredAt,
        ...(event.data.reason ? { reason: event.data.reason } : {}),
      };
    }
    default:
      return assertNever(event);
  }
}

/** A mandate as a decider: who gave which investigating organisation authority over which records, until when. */
export const mandateDecider: Decider<MandateCommand, MandateState, MandateEvent> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};
