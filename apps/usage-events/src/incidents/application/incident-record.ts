import { subjectOf, type CloudEvent } from '@aal/contracts';
import { incidentErrors } from '../domain/incident.errors';
import { INCIDENT_AGGREGATE, type IncidentState } from '../domain/incident.types';

type Reported = Extract<IncidentState, { status: 'reported' }>;

/** `incident/<id>`: an incident's CloudEvent subject, under which its history is kept. */
export const incidentSubject = (incidentId: string) => subjectOf(INCIDENT_AGGREGATE, incidentId);

/** The reported incident in `state`, if `organisationId` reported it: only that organisation sees it (GET). */
export function ownIncidentState(state: IncidentState | undefined, incidentId: string, organisationId: string): Reported {
  if (state?.status !== 'reported') throw incidentErrors.notFound(incidentId);
  if (state.organisationId !== organisationId) throw incidentErrors.notOwner(incidentId, organisationId);
  return state;
}

/** An incident as the API shows it: the state in a fixed field order (jsonb reorders keys), its revision and history. */
export function incidentRecord(i: Reported, revision: number, history: readonly CloudEvent<unknown>[]) {
  return {
    incidentId: i.incidentId,
    organisationId: i.organisationId,
    outputIds: i.outputIds,
    harmReference: i.harmReference,
    ...(i.severity !== undefined ? { severity: i.severity } : {}),
    occurredAt: i.occurredAt,
    reportedBy: i.reportedBy,
    revision,
    history,
  };
}
