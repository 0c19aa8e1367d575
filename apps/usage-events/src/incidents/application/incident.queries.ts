import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { INCIDENT_AGGREGATE, type IncidentState } from '../domain/incident.types';
import { incidentRecord, incidentSubject, ownIncidentState } from './incident-record';

@Injectable()
export class IncidentQueries {
  constructor(private readonly store: AggregateStore) {}

  /** An incident and its event history, shown only to the organisation that reported it. */
  async get(incidentId: string, organisationId: string) {
    const found = await this.store.find<IncidentState>(INCIDENT_AGGREGATE, incidentId);
    const incident = ownIncidentState(found?.state, incidentId, organisationId);
    return incidentRecord(incident, found!.version, await this.store.history(incidentSubject(incidentId)));
  }
}
