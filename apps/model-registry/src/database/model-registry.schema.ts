import { serviceSchema } from '@aal/database';
import { MODEL_REGISTRY_RETENTION } from './model-registry.retention';
import { Initial1732500000000 } from './migrations/1732500000000-initial';

export const MODEL_REGISTRY_SCHEMA = serviceSchema('model_registry', [Initial1732500000000], MODEL_REGISTRY_RETENTION);
