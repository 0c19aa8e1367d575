import { assertNever, type Decider } from '@aal/domain';
import { assertNotInFuture } from '../../usage/domain/occurred-at.rule';
import { incidentErrors } from './incident.errors';
import type { IncidentCommand, IncidentEvent, IncidentState } from './incident.types';

/**
 * An incident involving one or more outputs, recorded once. The outputs are named, not checked:
 * an incident is refused only for its own faults, and the ledger shows which outputs it knows.
 */
export const incidentDecider: Decider<IncidentCommand, IncidentState, IncidentEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.kind) {
      case 'ReportIncident': {
        assertNotInFuture(command);
        if (state.status === 'reported') throw incidentErrors.alreadyReported(command.facts.incidentId);
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
