import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const CaseHoldLiftedV1 = defineEvent({
  name: 'case.hold-lifted',
  version: 1,
  producer: 'ledger',
  description:
    "An investigator of the organisation that placed a case's legal hold lifted it, with a reason; retention periods apply to the case's rows again from then on.",
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object(
    {
      caseId: Id,
      organisationId: OrganisationId,
      reason: Text(2000, 'Why the hold is no longer needed, e.g. the proceedings it served have ended.'),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
