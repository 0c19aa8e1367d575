import { subjectOf } from '@aal/contracts';
import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { modelErrors } from '../domain/model.errors';
import type { ModelState } from '../domain/model.types';
import { MODEL_AGGREGATE } from './execute-model-command.handler';

@Injectable()
export class ModelQueries {
  constructor(private readonly store: AggregateStore) {}

  async get(modelId: string) {
    const found = await this.store.find<ModelState>(MODEL_AGGREGATE, modelId);
    if (found?.state.status !== 'registered') throw modelErrors.notFound(modelId);
    const history = await this.store.history(subjectOf('model', modelId));
    return { ...found.state, revision: found.version, history };
  }

  async list(filter: { vendorId?: string; limit: number; offset: number }) {
    const rows = await this.store.list<ModelState>(MODEL_AGGREGATE, {
      organisationId: filter.vendorId,
      limit: filter.limit,
      offset: filter.offset,
    });
    // Only registered models are ever stored; the filter tells the compiler so.
    const items = rows.flatMap((r) => (r.state.status === 'registered' ? [{ ...r.state, revision: r.version }] : []));
    return { items, limit: filter.limit, offset: filter.offset };
  }
}
