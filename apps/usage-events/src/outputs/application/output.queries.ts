import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { outputErrors } from '../domain/output.errors';
import type { OutputState } from '../domain/output.types';
import { OUTPUT_AGGREGATE } from './execute-output-command.handler';

@Injectable()
export class OutputQueries {
  constructor(private readonly store: AggregateStore) {}

  /** An output's record and full event history, shown only to the organisation that reported it. */
  async get(outputId: string, organisationId: string) {
    const found = await this.store.find<OutputState>(OUTPUT_AGGREGATE, outputId);
    if (!found || found.state.status !== 'generated') throw outputErrors.notFound(outputId);
    if (found.state.organisationId !== organisationId) throw outputErrors.notOwner(outputId, organisationId);
    const history = await this.store.history(`output/${outputId}`);
    return { ...outputView(found.state), revision: found.version, history };
  }
}

/** The record in a fixed, readable field order (state comes back from jsonb with its keys reordered). */
function outputView(o: Extract<OutputState, { status: 'generated' }>) {
  return {
    outputId: o.outputId,
    organisationId: o.organisationId,
    deploymentId: o.deploymentId,
    modelId: o.modelId,
    versionId: o.versionId,
    subjectRef: o.subjectRef,
    outputDigest: o.outputDigest,
    site: o.site,
    ...(o.summary !== undefined ? { summary: o.summary } : {}),
    generatedAt: o.generatedAt,
    presentations: o.presentations,
    actions: o.actions,
    instructions: o.instructions,
  };
}
