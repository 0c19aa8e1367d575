import { Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { recommendationResponse } from './recommendation-responded';

export const RecommendationCompletedV1 = defineEvent({
  name: 'recommendation.completed',
  version: 1,
  producer: 'ledger',
  description:
    "The addressee's staff recorded a safety recommendation addressed to their organisation as done, with a reference to the evidence.",
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: recommendationResponse({
    reference: Text(
      1000,
      'Reference to the evidence that it was done (a change record, a release, a hazard log entry, a published guidance); never an identifier of a person.',
    ),
  }),
});
