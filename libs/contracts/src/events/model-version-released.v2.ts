import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-definition';
import { CodedContraindication, IntendedPopulation } from '../population';
import { subjectOf } from '../subjects';
import { ModelVersionReleasedV1 } from './model-version-released.v1';

/**
 * Version 2 makes what a version is for machine-checkable (issue #14): each contraindication has a
 * code as well as its wording, and the intended population names its age bands. v1 stays in the
 * catalogue so versions released before keep validating; their contraindications read as wording only.
 */
export const ModelVersionReleasedV2 = defineEvent({
  name: 'model.version.released',
  version: 2,
  producer: 'model-registry',
  description:
    'A vendor released a version of a model, with coded contraindications and its intended population; its digest and content never change afterwards.',
  subjectOf: (d) => subjectOf('model', d.modelId),
  schema: Type.Object(
    {
      ...ModelVersionReleasedV1.schema.properties,
      contraindications: Type.Array(CodedContraindication, { maxItems: 100 }),
      intendedPopulation: IntendedPopulation,
    },
    { additionalProperties: false },
  ),
});
