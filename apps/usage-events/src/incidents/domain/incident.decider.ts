import { assertNever, type Decider } from '@aal/domain';
import { assertNotInFuture } from '../../usage/domain/occurred-at.rule';
import { incidentErrors } from './incident.errors';
import type { IncidentCommand, IncidentEvent, IncidentState } from './incident.types';

/**
 * An incident involving one or more outputs, recorded once. Outputs this service does not know are
 * accepted (they may have been reported elsewhere; the ledger shows which it knows), but an
 * organisation may not name an output another organisation reported.
 */
export const incidentDecider: Decider<IncidentCommand, IncidentState, IncidentEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.kind) {
      case 'ReportIncident': {
        assertNotInFuture(command);
        if (state.status === 'reported') throw incidentErrors.alreadyReported(command.facts.incidentId);
        const foreign = command.facts.outputIds.filter((id) => {
          const owner = command.outputOwners?.[id];
          return owner !== undefined && owner !== command.facts.organisationId;
        });
        if (foreign.length > 0) throw incidentErrors.foreignOutputs(foreign, command.facts.organisationId);
        return [{ name: 'incident.reported', data: command.facts, occurredAt: command.occurredAt }];
      }
      default:
        return assertNever(command.kind);
    }
  },

  evolve(_state, event) {
    switch (event.name) {
      case 'incident.reported': {
        const { incidentId, organisationId, outputIds, harmReference, severity, actor } = event.data;
        return {
          status: 'reported',
          incidentId,
          organisationId,
          outputIds,
          harmReference,
          ...(severity !== undefined ? { severity } : {}),
          occurredAt: event.occurredAt,
          reportedBy: actor,
        };
      }
      default:
        return assertNever(event.name);
    }
  },
};
