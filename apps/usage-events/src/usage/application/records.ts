import type { CloudEvent } from '@aal/contracts';
import { outboxHistory } from '@aal/outbox';
import { findAggregate } from '@aal/service-kit';
import type { EntityManager } from 'typeorm';
import { incidentErrors } from '../../incidents/domain/incident.errors';
import type { IncidentState } from '../../incidents/domain/incident.types';
import { outputErrors } from '../../outputs/domain/output.errors';
import type { OutputState } from '../../outputs/domain/output.types';
import { USAGE_EVENTS_SCHEMA } from '../../database/usage-events.schema';
import { INCIDENT_AGGREGATE, OUTPUT_AGGREGATE } from '../domain/report';

const SCHEMA = USAGE_EVENTS_SCHEMA.schema;

/**
 * Reads of the records the API returns, through a given EntityManager: the data source's for a
 * GET, or a write's own transaction, so a write's response (which an idempotency key stores in
 * that same transaction) shows its own uncommitted events.
 */
function stateOf<S>(manager: EntityManager, type: string, id: string) {
  return findAggregate<S>(manager, SCHEMA, type, id);
}

/** Every event emitted about `subject`, oldest first. */
export function historyOf(manager: EntityManager, subject: string): Promise<CloudEvent<unknown>[]> {
  return outboxHistory(manager, SCHEMA, subject);
}

/** An output's record and full event history, shown only to the organisation that reported it. */
export async function outputRecord(manager: EntityManager, outputId: string, organisationId: string) {
  const found = await stateOf<OutputState>(manager, OUTPUT_AGGREGATE, outputId);
  if (!found || found.state.status !== 'generated') throw outputErrors.notFound(outputId);
  if (found.state.organisationId !== organisationId) throw outputErrors.notOwner(outputId, organisationId);
  const history = await historyOf(manager, `${OUTPUT_AGGREGATE}/${outputId}`);
  return { ...outputView(found.state), revision: found.version, history };
}

/** An incident and its event history, shown only to the organisation that reported it. */
export async function incidentRecord(manager: EntityManager, incidentId: string, organisationId: string) {
  const found = await stateOf<IncidentState>(manager, INCIDENT_AGGREGATE, incidentId);
  if (!found || found.state.status !== 'reported') throw incidentErrors.notFound(incidentId);
  if (found.state.organisationId !== organisationId) throw incidentErrors.notOwner(incidentId, organisationId);
  const history = await historyOf(manager, `${INCIDENT_AGGREGATE}/${incidentId}`);
  return { ...incidentView(found.state), revision: found.version, history };
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
