import { serviceSchema } from '@aal/database';
import { CONCERNS_RETENTION } from './concerns.retention';
import { Initial1735000000000 } from './migrations/1735000000000-initial';

export const CONCERNS_SCHEMA = serviceSchema('concerns', [Initial1735000000000], CONCERNS_RETENTION);
