import { producerConfigFromEnv, type ProducerAppConfig } from '@aal/service-kit';
import { DuePolicyError, duePolicyFrom, type DuePolicy } from './concerns/domain/due-dates';

export interface ConcernsConfig extends ProducerAppConfig {
  /** Due periods by severity (docs/concerns.md); the defaults unless CONCERN_ACKNOWLEDGE_WITHIN / CONCERN_ANSWER_WITHIN say otherwise. */
  readonly duePolicy: DuePolicy;
}

/** The variables that held whole hours before periods became ISO 8601 durations: refused, so an old setting is never silently ignored. */
const RETIRED = { CONCERN_ACKNOWLEDGE_HOURS: 'CONCERN_ACKNOWLEDGE_WITHIN', CONCERN_ANSWER_HOURS: 'CONCERN_ANSWER_WITHIN' } as const;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ConcernsConfig {
  return { ...producerConfigFromEnv('concerns', env), duePolicy: duePolicyFromEnv(env) };
}

/** The due policy of CONCERN_ACKNOWLEDGE_WITHIN and CONCERN_ANSWER_WITHIN (`severity=duration` pairs, e.g. `high=P1D`). */
export function duePolicyFromEnv(env: NodeJS.ProcessEnv): DuePolicy {
  for (const [old, now] of Object.entries(RETIRED)) {
    if (env[old] !== undefined) throw new DuePolicyError(`${old} is no longer read: set ${now} with ISO 8601 durations (e.g. high=PT48H)`);
  }
  return duePolicyFrom({ acknowledge: env['CONCERN_ACKNOWLEDGE_WITHIN'], answer: env['CONCERN_ANSWER_WITHIN'] });
}
