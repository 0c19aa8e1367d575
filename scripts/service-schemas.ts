import type { ServiceSchema } from '@aal/database';
import { CONCERNS_SCHEMA } from '../apps/concerns/src/database/concerns.schema';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../apps/deployment-approval/src/database/deployment-approval.schema';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { MODEL_REGISTRY_SCHEMA } from '../apps/model-registry/src/database/model-registry.schema';
import { INCIDENTS_SCHEMA } from '../apps/incidents/src/database/incidents.schema';
import { USAGE_EVENTS_SCHEMA } from '../apps/usage-events/src/database/usage-events.schema';

/** Every service's schema, in the order they are provisioned. */
export const ALL_SCHEMAS: readonly ServiceSchema[] = [
  MODEL_REGISTRY_SCHEMA,
  DEPLOYMENT_APPROVAL_SCHEMA,
  USAGE_EVENTS_SCHEMA,
  CONCERNS_SCHEMA,
  INCIDENTS_SCHEMA,
  LEDGER_SCHEMA,
];
