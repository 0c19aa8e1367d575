/** Media types the FHIR endpoints read as JSON (the service-wide parser reads only application/json). */
export const FHIR_JSON_TYPES = ['application/fhir+json', 'application/json'];
