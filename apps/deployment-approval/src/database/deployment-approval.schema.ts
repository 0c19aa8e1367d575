import { serviceSchema } from '@aal/database';
import { DEPLOYMENT_APPROVAL_RETENTION } from './deployment-approval.retention';
import { Initial1732500000000 } from './migrations/1732500000000-initial';
import { ModelCatalogue1732600000000 } from './migrations/1732600000000-model-catalogue';
import { VersionPopulation1734400000000 } from './migrations/1734400000000-version-population';

export const DEPLOYMENT_APPROVAL_SCHEMA = serviceSchema(
  'deployment_approval',
  [Initial1732500000000, ModelCatalogue1732600000000, VersionPopulation1734400000000],
  DEPLOYMENT_APPROVAL_RETENTION,
);
