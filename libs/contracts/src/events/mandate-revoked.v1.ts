import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const MandateRevokedV1 = defineEvent({
  name: 'mandate.revoked',
  version: 1,
  producer: 'ledger',
  description: 'The organisation that granted a mandate revoked it: no new case can be opened under it. Cases already open stay readable.',
  subjectOf: (d) => subjectOf('mandate', d.mandateId),
  schema: Type.Object(
    {
      mandateId: Id,
      organisationId: OrganisationId,
      reason: Type.Optional(Text(2000)),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
