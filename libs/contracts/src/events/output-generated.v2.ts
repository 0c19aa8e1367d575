import { Type } from '@sinclair/typebox';
import { Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { OutputPopulation } from '../population';
import { subjectOf } from '../subjects';
import { OutputGeneratedV1 } from './output-generated.v1';

/**
 * Version 2 adds what scope checks need (issue #14): the clinical service the output was produced
 * in, and the coarse population facts an EPR can share without identifying anyone. Both optional:
 * a system that cannot tell says nothing, and the ledger reports the check as not possible.
 */
export const OutputGeneratedV2 = defineEvent({
  name: 'output.generated',
  version: 2,
  producer: 'usage-events',
  description:
    'A deployed model produced an output about a (pseudonymous) subject, in a site and service, with coarse population facts; `time` is when it was produced.',
  subjectOf: (d) => subjectOf('output', d.outputId),
  schema: Type.Object(
    {
      ...OutputGeneratedV1.schema.properties,
      service: Type.Optional(Text(200, "The clinical service, as named in the deployment's approved scope.")),
      population: Type.Optional(OutputPopulation),
    },
    { additionalProperties: false },
  ),
});
