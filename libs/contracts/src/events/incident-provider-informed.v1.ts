import { Type } from '@sinclair/typebox';
import { Actor, Id, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { IncidentAbout, IncidentReference } from './incident-classified.v1';

export const IncidentProviderInformedV1 = defineEvent({
  name: 'incident.provider-informed',
  version: 1,
  producer: 'incidents',
  description:
    'The deployer recorded that it informed the provider (the vendor of the version) of a serious incident, when and with which reference.',
  subjectOf: (d) => subjectOf('incident', d.incidentId),
  schema: Type.Object(
    { incidentId: Id, about: IncidentAbout, madeAt: Timestamp, reference: IncidentReference, actor: Actor },
    { additionalProperties: false },
  ),
});
