import { serviceSchema } from '@aal/database';
import { Initial1732500000000 } from './migrations/1732500000000-initial';

export const DEPLOYMENT_APPROVAL_SCHEMA = serviceSchema('deployment_approval', [Initial1732500000000]);
