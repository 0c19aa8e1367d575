import { Type } from '@sinclair/typebox';

/** What POST /incidents and GET /incidents/{id} answer (OpenAPI); members beyond the id allowed for now. */
export const ReportedIncidentAnswer = Type.Object(
  { incidentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: true, description: 'The incident reported.' },
);
