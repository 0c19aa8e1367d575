import { CloudEventSchema, ModelRegisteredV1, ModelVersionReleasedV2, ModelSafetyNoticeIssuedV1 } from '@aal/contracts';
import type { AnswerOf } from '@aal/http';
import { Type } from '@sinclair/typebox';

/**
 * What the model routes answer, defined once: the handlers' return types and the OpenAPI
 * response schemas (and so the typed client in libs/client) come from here. Fields are cut from the
 * event schemas, like the requests.
 */
const released = ModelVersionReleasedV2.schema.properties;

export const ModelVersionAnswer = Type.Object({
  versionId: released.versionId,
  version: released.version,
  artifactDigest: released.artifactDigest,
  status: Type.Union([Type.Literal('released'), Type.Literal('withdrawn')]),
});

export const SafetyNoticeAnswer = Type.Object({
  noticeId: ModelSafetyNoticeIssuedV1.schema.properties.noticeId,
  severity: ModelSafetyNoticeIssuedV1.schema.properties.severity,
  affectedVersionIds: ModelSafetyNoticeIssuedV1.schema.properties.affectedVersionIds,
  resolved: Type.Boolean(),
});

const modelFacts = {
  status: Type.Literal('registered'),
  modelId: ModelRegisteredV1.schema.properties.modelId,
  vendorId: ModelRegisteredV1.schema.properties.vendorId,
  name: ModelRegisteredV1.schema.properties.name,
  versions: Type.Record(Type.String({ format: 'uuid' }), ModelVersionAnswer, { description: 'By version id.' }),
  notices: Type.Record(Type.String({ format: 'uuid' }), SafetyNoticeAnswer, { description: 'By notice id.' }),
  revision: Type.Integer({ minimum: 1, description: 'How many events the model has had.' }),
};

const example = {
  status: 'registered',
  modelId: '0b9f4c2e-3c1a-4d8e-9a55-6f1f2b7c9d10',
  vendorId: 'acme-clinical-ai',
  name: 'SepsisWatch Early Warning',
  versions: {
    '7d3e1f20-5b6a-4c7d-8e9f-0a1b2c3d4e5f': {
      versionId: '7d3e1f20-5b6a-4c7d-8e9f-0a1b2c3d4e5f',
      version: '2.1.0',
      artifactDigest: `sha256:${'ab'.repeat(32)}`,
      status: 'released',
    },
  },
  notices: {},
  revision: 2,
};

export const ModelAnswer = Type.Object(
  {
    ...modelFacts,
    history: Type.Optional(
      Type.Array(CloudEventSchema, {
        description: "Its events, who at the vendor did what: only for the vendor's own staff and auditors allowed to read its records.",
      }),
    ),
  },
  { additionalProperties: false, description: 'The model, its versions and safety notices.', examples: [example] },
);
export type ModelAnswer = AnswerOf<typeof ModelAnswer>;

export const ModelListAnswer = Type.Object(
  {
    items: Type.Array(Type.Object(modelFacts, { additionalProperties: false })),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false, description: 'A page of models.', examples: [{ items: [example], limit: 50, offset: 0 }] },
);
export type ModelListAnswer = AnswerOf<typeof ModelListAnswer>;
