import { serviceSchema } from '@aal/database';
import { Retention1735200000000 } from './migrations/1735200000000-retention';
import { USAGE_EVENTS_RETENTION } from './usage-events.retention';
import { Initial1732600000000 } from './migrations/1732600000000-initial';
import { IdempotencyKeys1733000000000 } from './migrations/1733000000000-idempotency-keys';
import { DeploymentDirectory1734000000000 } from './migrations/1734000000000-deployment-directory';

export const USAGE_EVENTS_SCHEMA = serviceSchema(
  'usage_events',
  [Initial1732600000000, IdempotencyKeys1733000000000, DeploymentDirectory1734000000000, Retention1735200000000],
  USAGE_EVENTS_RETENTION,
);
