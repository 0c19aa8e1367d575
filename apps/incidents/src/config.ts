import { REPORTING_RULE_SETS } from '@aal/contracts';
import { producerConfigFromEnv, type ProducerAppConfig } from '@aal/service-kit';

export interface IncidentsConfig extends ProducerAppConfig {
  /** Hours within which this deployer informs the provider ("without undue delay"); recorded in each incident.classified. */
  readonly informProviderWithinHours: number;
}

/** Thrown at start-up for a notice period that cannot be used. */
export class IncidentsConfigError extends Error {}

/** The rule table's default (24 h) unless INCIDENT_INFORM_PROVIDER_HOURS says otherwise: a whole number of hours, 0 to 720. */
export function informProviderHoursFrom(text: string | undefined): number {
  const fallback = REPORTING_RULE_SETS[REPORTING_RULE_SETS.length - 1]!.informProviderHoursDefault;
  if (text === undefined || text.trim() === '') return fallback;
  if (!/^\s*[0-9]{1,3}\s*$/.test(text) || Number(text) > 720)
    throw new IncidentsConfigError(`INCIDENT_INFORM_PROVIDER_HOURS must be a whole number of hours from 0 to 720; cannot read "${text}"`);
  return Number(text);
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): IncidentsConfig {
  return {
    ...producerConfigFromEnv('incidents', env),
    informProviderWithinHours: informProviderHoursFrom(env['INCIDENT_INFORM_PROVIDER_HOURS']),
  };
}
