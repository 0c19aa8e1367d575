import { subjectOf } from '@aal/contracts';
import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { trainingErrors } from '../domain/training.errors';
import type { TrainingState } from '../domain/training.types';
import { TrainingRecordSearch, type TrainingRecordFilter } from '../infrastructure/training-record.search';
import { TRAINING_AGGREGATE } from './execute-training-command.handler';

@Injectable()
export class TrainingQueries {
  constructor(
    private readonly store: AggregateStore,
    private readonly search: TrainingRecordSearch,
  ) {}

  async get(trainingId: string) {
    const found = await this.store.find<TrainingState>(TRAINING_AGGREGATE, trainingId);
    if (!found || found.state.status === 'none') throw trainingErrors.notFound(trainingId);
    const history = await this.store.history(subjectOf('training', trainingId));
    return { ...found.state, revision: found.version, history };
  }

  async list(filter: TrainingRecordFilter) {
    const rows = await this.search.find(filter);
    return { items: rows.map((r) => ({ ...r.state, revision: r.version })), limit: filter.limit, offset: filter.offset };
  }
}
