import { producerConfigFromEnv, type ProducerAppConfig } from '@aal/service-kit';
import { duePolicyFrom, type DuePolicy } from './concerns/domain/due-dates';

export interface ConcernsConfig extends ProducerAppConfig {
  /** Due periods by severity (docs/concerns.md); the defaults unless CONCERN_ACKNOWLEDGE_HOURS / CONCERN_ANSWER_HOURS say otherwise. */
  readonly duePolicy: DuePolicy;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ConcernsConfig {
  return {
    ...producerConfigFromEnv('concerns', env),
    duePolicy: duePolicyFrom({ acknowledge: env['CONCERN_ACKNOWLEDGE_HOURS'], answer: env['CONCERN_ANSWER_HOURS'] }),
  };
}
