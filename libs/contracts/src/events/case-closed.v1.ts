import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const CaseClosedV1 = defineEvent({
  name: 'case.closed',
  version: 1,
  producer: 'ledger',
  description: 'An investigator closed a case. A closed case can still be read (and each read is recorded); no one can be added to it.',
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object(
    {
      caseId: Id,
      organisationId: OrganisationId,
      reason: Type.Optional(Text(2000)),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
