import { Type } from '@sinclair/typebox';
import { Actor, Id, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { ReportingAuthority } from '../reporting-rules';
import { IncidentAbout, IncidentReference } from './incident-classified.v1';

export const IncidentAuthorityReportedV1 = defineEvent({
  name: 'incident.authority-reported',
  version: 1,
  producer: 'incidents',
  description:
    'The provider recorded a report of a serious incident it made to an authority (the market surveillance authority, or the MHRA for a medical device): when it was made and the authority’s reference.',
  subjectOf: (d) => subjectOf('incident', d.incidentId),
  schema: Type.Object(
    { incidentId: Id, about: IncidentAbout, authority: ReportingAuthority, madeAt: Timestamp, reference: IncidentReference, actor: Actor },
    { additionalProperties: false },
  ),
});
