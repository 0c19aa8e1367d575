import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { OUTPUT_AGGREGATE, type OutputState } from '../domain/output.types';
import { outputRecord, outputSubject, ownOutputState } from './output-record';

@Injectable()
export class OutputQueries {
  constructor(private readonly store: AggregateStore) {}

  /** An output's record and full event history, shown only to the organisation that reported it. */
  async get(outputId: string, organisationId: string) {
    const found = await this.store.find<OutputState>(OUTPUT_AGGREGATE, outputId);
    const output = ownOutputState(found?.state, outputId, organisationId);
    return outputRecord(output, found!.version, await this.store.history(outputSubject(outputId)));
  }
}
