import { CloudEventSchema, OutputActedOnV1, OutputGeneratedV2, OutputPresentedV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';
import { InstructionAnswerFacts } from '../../instructions/http/instruction.answers';

/**
 * What the output routes (native and FHIR) answer: the output's record (output-record.ts), its
 * fields cut from the event schemas. Closed: clients may rely on every member being one of these.
 */
const generated = OutputGeneratedV2.schema.properties;
const presented = OutputPresentedV1.schema.properties;
const acted = OutputActedOnV1.schema.properties;
const at = Type.String({ format: 'date-time' });

const example = {
  outputId: 'out-2026-000042',
  organisationId: 'st-marys-trust',
  deploymentId: '5a1c3e2f-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
  modelId: '0b9f4c2e-3c1a-4d8e-9a55-6f1f2b7c9d10',
  versionId: '7d3e1f20-5b6a-4c7d-8e9f-0a1b2c3d4e5f',
  subjectRef: 'pt-7f3a9c',
  outputDigest: `sha256:${'cd'.repeat(32)}`,
  site: 'ward-7',
  generatedAt: '2026-03-01T09:00:00.000Z',
  presentations: [],
  actions: [],
  instructions: [],
  revision: 1,
  history: [],
};

export const OutputAnswer = Type.Object(
  {
    outputId: generated.outputId,
    organisationId: generated.organisationId,
    deploymentId: generated.deploymentId,
    modelId: generated.modelId,
    versionId: generated.versionId,
    subjectRef: generated.subjectRef,
    outputDigest: generated.outputDigest,
    site: generated.site,
    service: generated.service,
    population: generated.population,
    summary: generated.summary,
    generatedAt: Type.String({ format: 'date-time', description: "The clinical system's time of generation." }),
    presentations: Type.Array(
      Type.Object({ professional: presented.professional, site: presented.site, occurredAt: at }, { additionalProperties: false }),
    ),
    actions: Type.Array(
      Type.Object(
        {
          professional: acted.professional,
          action: acted.action,
          rationale: acted.rationale,
          reviewDurationSeconds: acted.reviewDurationSeconds,
          occurredAt: at,
        },
        { additionalProperties: false },
      ),
    ),
    instructions: Type.Array(Type.Object(InstructionAnswerFacts, { additionalProperties: false })),
    revision: Type.Integer({ minimum: 1, description: 'How many events the output has had.' }),
    history: Type.Array(CloudEventSchema, { description: 'Its events, oldest first.' }),
  },
  { additionalProperties: false, description: "The output's record.", examples: [example] },
);
