/** The hours within which this deployer informs the provider (IncidentsConfig.informProviderWithinHours). */
export const INFORM_PROVIDER_HOURS = Symbol('INFORM_PROVIDER_HOURS');
