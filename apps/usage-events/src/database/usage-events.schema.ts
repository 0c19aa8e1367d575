import { serviceSchema } from '@aal/database';
import { Initial1732600000000 } from './migrations/1732600000000-initial';

export const USAGE_EVENTS_SCHEMA = serviceSchema('usage_events', [Initial1732600000000]);
