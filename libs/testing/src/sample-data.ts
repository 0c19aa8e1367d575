import type { Actor, EventData, ModelRegisteredV1 } from '@aal/contracts';

// Catalogue data that several tests need alike, stated once. Types only from the contracts, so
// unit tests of the contracts themselves can use it.

export const vendorAdmin: Actor = { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' };

/** SepsisWatch as its vendor registers it: valid `model.registered` data. */
export function modelRegisteredData(modelId: string): EventData<typeof ModelRegisteredV1> {
  return {
    modelId,
    vendorId: 'acme-ai',
    name: 'SepsisWatch',
    intendedPurpose: 'Early warning of sepsis.',
    riskClass: 'uk-mdr-class-iia',
    manufacturerSafetyOfficer: 'psn_acmecso00001',
    actor: vendorAdmin,
  };
}
