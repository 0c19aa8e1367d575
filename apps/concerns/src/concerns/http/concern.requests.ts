import { ConcernAnsweredV1, ConcernRaisedV1, Id } from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas, so the API and the events cannot drift. */
const strict = { additionalProperties: false } as const;
const raised = ConcernRaisedV1.schema.properties;

export const RaiseConcernRequest = Type.Object(
  {
    about: Type.Union(
      [
        Type.Object({ kind: Type.Literal('model-version'), versionId: Id }, strict),
        Type.Object({ kind: Type.Literal('deployment'), deploymentId: Id }, strict),
      ],
      { description: 'The model version or the deployment the concern is about.' },
    ),
    category: raised.category,
    description: raised.description,
    severity: raised.severity,
    raisedBy: raised.raisedBy,
    addressees: Type.Union([Type.Literal('vendor'), Type.Literal('employer'), Type.Literal('both')], {
      description: 'Who must answer: the vendor of the version, the employer of the deployment, or both.',
    }),
  },
  strict,
);

export const AcknowledgeConcernRequest = Type.Object({}, strict);

export const AnswerConcernRequest = Type.Pick(ConcernAnsweredV1.schema, ['answer', 'reference'], strict);

export const IdParam = Type.String({ format: 'uuid' });
