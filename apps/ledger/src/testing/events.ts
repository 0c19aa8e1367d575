import type { CloudEvent } from '@aal/contracts';
import { actors, makeEvent } from '@aal/testing';
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
