import { serviceSchema } from '@aal/database';
import { Initial1732600000000 } from './migrations/1732600000000-initial';
import { IdempotencyKeys1733000000000 } from './migrations/1733000000000-idempotency-keys';
import { DeploymentDirectory1734000000000 } from './migrations/1734000000000-deployment-directory';

export const USAGE_EVENTS_SCHEMA = serviceSchema('usage_events', [
  Initial1732600000000,
  IdempotencyKeys1733000000000,
  DeploymentDirectory1734000000000,
]);
