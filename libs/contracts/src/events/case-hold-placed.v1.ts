import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const CaseHoldPlacedV1 = defineEvent({
  name: 'case.hold-placed',
  version: 1,
  producer: 'ledger',
  description:
    "An investigator of a case placed a legal hold on it (an evidence freeze): until an investigator of the same organisation lifts it, the ledger's retention jobs keep every row that the case's entries, outputs and reads rest on, whatever its retention period says. The log itself is never purged, hold or not.",
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object(
    {
      caseId: Id,
      organisationId: OrganisationId,
      reason: Text(2000, 'Why the evidence is frozen, e.g. the litigation or inquest reference.'),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
