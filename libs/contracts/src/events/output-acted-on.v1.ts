import { Type, type Static } from '@sinclair/typebox';
import { Actor, OrganisationId, Professional, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { OutputId } from './output-generated.v1';

export const OUTPUT_ACTIONS = ['accepted', 'modified', 'overridden', 'ignored', 'escalated'] as const;
export const OutputAction = Type.Union(OUTPUT_ACTIONS.map((a) => Type.Literal(a)));
export type OutputAction = Static<typeof OutputAction>;

export const OutputActedOnV1 = defineEvent({
  name: 'output.acted-on',
  version: 1,
  producer: 'usage-events',
  description: 'A professional acted on an output: what they did, why, and how long they reviewed it.',
  subjectOf: (d) => subjectOf('output', d.outputId),
  schema: Type.Object(
    {
      outputId: OutputId,
      organisationId: OrganisationId,
      professional: Professional,
      action: OutputAction,
      rationale: Type.Optional(Text(4000)),
      reviewDurationSeconds: Type.Integer({ minimum: 0, maximum: 604800 }),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
