import type { IncidentAbout } from '@aal/contracts';
import { assertNever, freeTextIssues, type Decider } from '@aal/domain';
import { incidentErrors } from './incident.errors';
import type { ClassifyIncident, IncidentCommand, IncidentEvent, IncidentState } from './incident.types';

type Classified = Exclude<IncidentState, { status: 'none' }>;

/**
 * A serious incident's reporting record: the deployer classifies it and records informing the
 * provider; the provider records when it became aware and each report it made to an authority,
 * once per authority. Checks run in order: the request itself, then who may act, then the state.
 * The deadlines are not decided here: the ledger computes them from the rule table.
 */
export const incidentDecider: Decider<IncidentCommand, IncidentState, IncidentEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.kind) {
      case 'ClassifyIncident':
        return [classify(command, state)];
      case 'RecordProviderInformed': {
        notAfter('/madeAt', command.madeAt, command.occurredAt);
        const incident = classified(state, command.incidentId);
        if (command.actor.organisationId !== incident.about.deployerId)
          throw incidentErrors.notTheDeployer(command.actor.organisationId, incident.about.deploymentId);
        if (Date.parse(command.madeAt) < Date.parse(incident.awareAt))
          throw incidentErrors.beforeAwareness('/madeAt', command.madeAt, incident.awareAt);
        noIdentifiers({ '/reference': command.reference });
        if (incident.providerInformed) throw incidentErrors.alreadyRecorded(command.incidentId, 'informing the provider');
        const { incidentId, madeAt, reference, actor } = command;
        return [
          {
            name: 'incident.provider-informed',
            occurredAt: command.occurredAt,
            data: { incidentId, about: incident.about, madeAt, reference, actor },
          },
        ];
      }
      case 'RecordProviderAware': {
        notAfter('/awareAt', command.awareAt, command.occurredAt);
        const incident = providerOf(state, command.incidentId, command.actor.organisationId);
        if (incident.providerAware) throw incidentErrors.alreadyRecorded(command.incidentId, 'the provider’s awareness');
        const { incidentId, awareAt, actor } = command;
        return [
          { name: 'incident.provider-aware', occurredAt: command.occurredAt, data: { incidentId, about: incident.about, awareAt, actor } },
        ];
      }
      case 'RecordAuthorityReport': {
        notAfter('/madeAt', command.madeAt, command.occurredAt);
        noIdentifiers({ '/reference': command.reference });
        const incident = providerOf(state, command.incidentId, command.actor.organisationId);
        if (incident.authorityReports.some((r) => r.authority === command.authority))
          throw incidentErrors.alreadyRecorded(command.incidentId, `a report to ${command.authority}`);
        const { incidentId, authority, madeAt, reference, actor } = command;
        return [
          {
            name: 'incident.authority-reported',
            occurredAt: command.occurredAt,
            data: { incidentId, about: incident.about, authority, madeAt, reference, actor },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.name) {
      case 'incident.classified': {
        if (state.status !== 'none') return state;
        const { actor, ...facts } = event.data;
        return { status: 'classified', ...facts, classifiedAt: event.occurredAt, classifiedBy: actor, authorityReports: [] };
      }
      case 'incident.provider-informed':
        if (state.status === 'none') return state;
        return {
          ...state,
          providerInformed: {
            madeAt: event.data.madeAt,
            reference: event.data.reference,
            recordedAt: event.occurredAt,
            by: event.data.actor,
          },
        };
      case 'incident.provider-aware':
        if (state.status === 'none') return state;
        return { ...state, providerAware: { awareAt: event.data.awareAt, recordedAt: event.occurredAt, by: event.data.actor } };
      case 'incident.authority-reported':
        if (state.status === 'none') return state;
        return {
          ...state,
          authorityReports: [
            ...state.authorityReports,
            {
              authority: event.data.authority,
              madeAt: event.data.madeAt,
              reference: event.data.reference,
              recordedAt: event.occurredAt,
              by: event.data.actor,
            },
          ],
        };
      default:
        return assertNever(event);
    }
  },
};

function classify(command: ClassifyIncident, state: IncidentState): IncidentEvent {
  notAfter('/awareAt', command.awareAt, command.occurredAt);
  noIdentifiers({ '/harmReference': command.harmReference });
  const about: IncidentAbout | null = command.about;
  if (!about) throw incidentErrors.unknownDeployment(command.deploymentId);
  if (command.actor.organisationId !== about.deployerId)
    throw incidentErrors.notTheDeployer(command.actor.organisationId, about.deploymentId);
  if (state.status !== 'none') throw incidentErrors.alreadyClassified(command.incidentId);
  const { incidentId, classification, publicHealthThreat, awareAt, outputIds, harmReference, informProviderWithinHours, actor } = command;
  return {
    name: 'incident.classified',
    occurredAt: command.occurredAt,
    data: {
      incidentId,
      about,
      classification,
      publicHealthThreat,
      awareAt,
      informProviderWithinHours,
      ...(outputIds !== undefined ? { outputIds } : {}),
      harmReference,
      actor,
    },
  };
}

function classified(state: IncidentState, incidentId: string): Classified {
  if (state.status === 'none') throw incidentErrors.notFound(incidentId);
  return state;
}

function providerOf(state: IncidentState, incidentId: string, organisationId: string): Classified {
  const incident = classified(state, incidentId);
  if (organisationId !== incident.about.vendorId) throw incidentErrors.notTheProvider(organisationId, incidentId);
  return incident;
}

/** A time the caller states (awareness, a report made) may not be later than the request. */
function notAfter(pointer: string, value: string, now: string): void {
  if (Date.parse(value) > Date.parse(now)) throw incidentErrors.inFuture(pointer, value, now);
}

function noIdentifiers(fields: Record<string, string>): void {
  const issues = freeTextIssues(fields);
  if (issues.length > 0) throw incidentErrors.identifierInText(issues);
}
