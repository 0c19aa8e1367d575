import { serviceSchema } from '@aal/database';
import { INCIDENTS_RETENTION } from './incidents.retention';
import { Initial1736000000000 } from './migrations/1736000000000-initial';

export const INCIDENTS_SCHEMA = serviceSchema('incidents', [Initial1736000000000], INCIDENTS_RETENTION);
