import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { incidentErrors } from '../domain/incident.errors';
import type { IncidentState } from '../domain/incident.types';
import { INCIDENT_AGGREGATE } from './execute-incident-command.handler';

@Injectable()
export class IncidentQueries {
  constructor(private readonly store: AggregateStore) {}

  /** An incident and its event history, shown only to the organisation that reported it. */
  async get(incidentId: string, organisationId: string) {
    const found = await this.store.find<IncidentState>(INCIDENT_AGGREGATE, incidentId);
    if (!found || found.state.status !== 'reported') throw incidentErrors.notFound(incidentId);
    if (found.state.organisationId !== organisationId) throw incidentErrors.notOwner(incidentId, organisationId);
    const history = await this.store.history(`incident/${incidentId}`);
    return { ...incidentView(found.state), revision: found.version, history };
  }
}

/** The record in a fixed, readable field order (state comes back from jsonb with its keys reordered). */
function incidentView(i: Extract<IncidentState, { status: 'reported' }>) {
  return {
    incidentId: i.incidentId,
    organisationId: i.organisationId,
    outputIds: i.outputIds,
    harmReference: i.harmReference,
    ...(i.severity !== undefined ? { severity: i.severity } : {}),
    occurredAt: i.occurredAt,
    reportedBy: i.reportedBy,
  };
}
