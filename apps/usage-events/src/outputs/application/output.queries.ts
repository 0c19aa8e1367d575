import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { outputRecord } from '../../usage/application/records';

@Injectable()
export class OutputQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** An output's record and full event history, shown only to the organisation that reported it. */
  get(outputId: string, organisationId: string) {
    return outputRecord(this.dataSource.manager, outputId, organisationId);
  }
}
