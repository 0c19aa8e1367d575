import { Type } from '@sinclair/typebox';
import { Actor, Id, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { ConcernAbout, ConcernAddressee } from './concern-raised.v1';

/** What an addressee did about a concern. Written once here. */
export const CONCERN_ANSWER_KINDS = [
  'investigated-no-change',
  'mitigation-in-place',
  'version-or-configuration-changed',
  'deployment-suspended',
  'version-withdrawn',
  'referred-to-regulator',
] as const;
export const ConcernAnswerKind = Type.Union(
  CONCERN_ANSWER_KINDS.map((k) => Type.Literal(k)),
  { description: 'What was done about the concern.' },
);

export const ConcernAnsweredV1 = defineEvent({
  name: 'concern.answered',
  version: 1,
  producer: 'concerns',
  description: "An addressee's staff answered a concern addressed to their organisation, saying what was done and where it is recorded.",
  subjectOf: (d) => subjectOf('concern', d.concernId),
  schema: Type.Object(
    {
      concernId: Id,
      about: ConcernAbout,
      addressee: ConcernAddressee,
      answer: ConcernAnswerKind,
      reference: Text(
        1000,
        'Reference to what was done (a change record, a hazard log entry, a notice, a regulator report); never an identifier of a person.',
      ),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
