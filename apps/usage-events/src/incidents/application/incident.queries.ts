import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { incidentRecord } from '../../usage/application/records';

@Injectable()
export class IncidentQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** An incident and its event history, shown only to the organisation that reported it. */
  get(incidentId: string, organisationId: string) {
    return incidentRecord(this.dataSource.manager, incidentId, organisationId);
  }
}
