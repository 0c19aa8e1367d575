import { OutputActedOnV1, OutputGeneratedV2, OutputPresentedV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';
import { Occurrence, strict } from '../../usage/http/usage.requests';

export const RecordOutputRequest = Type.Composite(
  [
    Type.Pick(OutputGeneratedV2.schema, [
      'outputId',
      'deploymentId',
      'modelId',
      'versionId',
      'subjectRef',
      'outputDigest',
      'site',
      'service',
      'population',
      'summary',
    ]),
    Occurrence,
  ],
  strict,
);

export const RecordPresentationRequest = Type.Composite(
  [Type.Pick(OutputPresentedV1.schema, ['professional', 'site']), Occurrence],
  strict,
);

export const RecordActionRequest = Type.Composite(
  [Type.Pick(OutputActedOnV1.schema, ['professional', 'action', 'rationale', 'reviewDurationSeconds']), Occurrence],
  strict,
);

export const OutputIdParam = OutputGeneratedV2.schema.properties.outputId;
