import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { OutputId } from './output-generated.v1';

/** A position in the ledger's log: a 0-based sequence number, or a tree size. */
export const LogPosition = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Ledger log position (0-based seq or tree size).',
});

/** A signed checkpoint, named by what it commits to. */
export const CheckpointRef = Type.Object(
  {
    treeSize: LogPosition,
    rootHash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'RFC 9162 root hash, hex.' }),
  },
  { additionalProperties: false, description: 'The signed checkpoint (tree size and root) the case was opened against.' },
);

export const CaseOpenedV1 = defineEvent({
  name: 'case.opened',
  version: 1,
  producer: 'ledger',
  description:
    "An investigator opened a case about an incident or a set of outputs, against the latest signed checkpoint. The opener is the case's first investigator.",
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object(
    {
      caseId: Id,
      organisationId: OrganisationId,
      title: Text(200, 'Short title; never a narrative with identifiers.'),
      incidentId: Type.Optional(Id),
      outputIds: Type.Optional(Type.Array(OutputId, { minItems: 1, maxItems: 1000, uniqueItems: true })),
      openedAgainst: CheckpointRef,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
