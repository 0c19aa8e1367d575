import type { CloudEvent } from '@aal/contracts';
import { actors, makeEvent, type OutputChainIds } from '@aal/testing';
import { randomUUID } from 'node:crypto';

/**
 * A valid `model.registered` event, the cheapest entry for tests that only need the log to grow;
 * `name` tells entries apart, one `modelId` (one subject, so one partition) keeps several in order,
 * and `source` may name another emitter than the registry.
 */
export function registeredModel(name: string, options: { modelId?: string; source?: string } = {}): CloudEvent<unknown> {
  const data = {
    modelId: options.modelId ?? randomUUID(),
    vendorId: 'acme-ai',
    name,
    intendedPurpose: 'Ledger test.',
    riskClass: 'uk-mdr-class-i',
    manufacturerSafetyOfficer: 'psn_acmecso00001',
    actor: actors.vendorAdmin,
  };
  return makeEvent('model.registered', data, options.source ? { source: options.source } : {});
}

/** The chain's deployment suspended by the employer's safety officer, in effect from `effectiveAt`, recorded as happening at `time`. */
export function deploymentSuspended(
  ids: Pick<OutputChainIds, 'deploymentId'>,
  change: { effectiveAt: string; reason: string; time: string },
): CloudEvent<unknown> {
  const data = { deploymentId: ids.deploymentId, employerId: 'st-swithins', effectiveAt: change.effectiveAt, reason: change.reason };
  return makeEvent('deployment.suspended', { ...data, actor: actors.safetyOfficer }, { time: change.time });
}

/** A safety notice from the chain's vendor on its version, issued at `time`. */
export function safetyNoticeIssued(
  ids: Pick<OutputChainIds, 'modelId' | 'versionId'>,
  notice: { severity: string; summary: string; requiredAction: string; time: string },
): CloudEvent<unknown> {
  const { time, ...said } = notice;
  const about = { noticeId: randomUUID(), modelId: ids.modelId, vendorId: 'acme-ai', affectedVersionIds: [ids.versionId] };
  return makeEvent('model.safety-notice.issued', { ...about, ...said, actor: actors.vendorAdmin }, { time });
}
