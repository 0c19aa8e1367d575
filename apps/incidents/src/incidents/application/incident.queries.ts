import { assertCanReadAny, type Principal } from '@aal/auth';
import { subjectOf } from '@aal/contracts';
import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { incidentErrors } from '../domain/incident.errors';
import type { IncidentState } from '../domain/incident.types';
import { INCIDENT_AGGREGATE } from './execute-incident-command.handler';

@Injectable()
export class IncidentQueries {
  constructor(private readonly store: AggregateStore) {}

  /** The incident with its event history, for its deployer and its provider (and auditors with the grant). */
  async get(incidentId: string, principal?: Principal) {
    const found = await this.store.find<IncidentState>(INCIDENT_AGGREGATE, incidentId);
    if (!found || found.state.status === 'none') throw incidentErrors.notFound(incidentId);
    const incident = found.state;
    if (principal) assertCanReadAny(principal, [incident.about.deployerId, incident.about.vendorId], 'incident', incidentId);
    const history = await this.store.history(subjectOf('incident', incidentId));
    return { ...incident, revision: found.version, history };
  }
}
