import type { Actor, DeploymentApprovedV2, EventData, ModelRegisteredV1, ModelVersionReleasedV2 } from '@aal/contracts';

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

/**
 * What SepsisWatch 2.1 is for, coded as model.version.released v2 states it: its contraindication
 * (a vendor code beside the wording) and its intended population (adults).
 */
export const sepsisWatchPopulation = {
  contraindications: [{ code: 'acme:under-18', text: 'Patients under 18' }],
  intendedPopulation: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], text: 'Adults on acute medical wards.' },
} satisfies Pick<EventData<typeof ModelVersionReleasedV2>, 'contraindications' | 'intendedPopulation'>;

/**
 * A deployment.approved v2 scope for a setting: everything requested, adults without SepsisWatch's
 * contraindication, advisory use.
 */
export function approvedScope(setting: {
  sites: string[];
  services: string[];
  roles: string[];
}): EventData<typeof DeploymentApprovedV2>['scope'] {
  return {
    sites: setting.sites,
    services: setting.services.length > 0 ? setting.services : ['Acute medicine'],
    roles: setting.roles,
    population: {
      ageBands: [...sepsisWatchPopulation.intendedPopulation.ageBands],
      excludedContraindicationCodes: sepsisWatchPopulation.contraindications.map((c) => c.code),
    },
    uses: ['advisory'],
  };
}
