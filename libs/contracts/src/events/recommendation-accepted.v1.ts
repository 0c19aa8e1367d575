import { Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { recommendationResponse } from './recommendation-responded';

export const RecommendationAcceptedV1 = defineEvent({
  name: 'recommendation.accepted',
  version: 1,
  producer: 'ledger',
  description: "The addressee's staff accepted a safety recommendation addressed to their organisation, stating the plan to act on it.",
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: recommendationResponse({ plan: Text(4000, 'What the addressee will do, and by when.') }),
});
