import { subjectOf, type CloudEvent } from '@aal/contracts';
import { outputErrors } from '../domain/output.errors';
import { OUTPUT_AGGREGATE, type OutputState } from '../domain/output.types';

type Generated = Extract<OutputState, { status: 'generated' }>;

/** `output/<id>`: an output's CloudEvent subject, under which its history is kept. */
export const outputSubject = (outputId: string) => subjectOf(OUTPUT_AGGREGATE, outputId);

/**
 * The generated output in `state`, if `organisationId` reported it: only that organisation sees
 * the record (GET). A write needs no such check: its decider refused anything else.
 */
export function ownOutputState(state: OutputState | undefined, outputId: string, organisationId: string): Generated {
  if (state?.status !== 'generated') throw outputErrors.notFound(outputId);
  if (state.organisationId !== organisationId) throw outputErrors.notOwner(outputId, organisationId);
  return state;
}

/** An output's record as the API shows it: the state in a fixed, readable field order (jsonb reorders keys), its revision and full history. */
export function outputRecord(o: Generated, revision: number, history: readonly CloudEvent<unknown>[]) {
  return {
    outputId: o.outputId,
    organisationId: o.organisationId,
    deploymentId: o.deploymentId,
    modelId: o.modelId,
    versionId: o.versionId,
    subjectRef: o.subjectRef,
    outputDigest: o.outputDigest,
    site: o.site,
    ...(o.service !== undefined ? { service: o.service } : {}),
    ...(o.population !== undefined ? { population: o.population } : {}),
    ...(o.summary !== undefined ? { summary: o.summary } : {}),
    generatedAt: o.generatedAt,
    presentations: o.presentations,
    actions: o.actions,
    instructions: o.instructions,
    revision,
    history,
  };
}
