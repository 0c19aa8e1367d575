import { Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { recommendationResponse } from './recommendation-responded';

export const RecommendationRejectedV1 = defineEvent({
  name: 'recommendation.rejected',
  version: 1,
  producer: 'ledger',
  description: "The addressee's staff rejected a safety recommendation addressed to their organisation, stating the reasons.",
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: recommendationResponse({ reasons: Text(4000, 'Why the addressee will not act on it.') }),
});
