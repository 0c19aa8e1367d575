import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Pseudonym } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const CaseAccessGrantedV1 = defineEvent({
  name: 'case.access-granted',
  version: 1,
  producer: 'ledger',
  description: 'An investigator of a case made another person (organisation and pseudonym) an investigator of it.',
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object(
    {
      caseId: Id,
      organisationId: OrganisationId,
      grantee: Type.Object({ organisationId: OrganisationId, personId: Pseudonym }, { additionalProperties: false }),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
