import { Type } from '@sinclair/typebox';
import { Actor, Id, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { IncidentAbout } from './incident-classified.v1';

export const IncidentProviderAwareV1 = defineEvent({
  name: 'incident.provider-aware',
  version: 1,
  producer: 'incidents',
  description:
    'The provider recorded when it became aware of a serious incident; its reporting clock starts then, or when the deployer informed it if that was earlier.',
  subjectOf: (d) => subjectOf('incident', d.incidentId),
  schema: Type.Object({ incidentId: Id, about: IncidentAbout, awareAt: Timestamp, actor: Actor }, { additionalProperties: false }),
});
