import type { ProducerName } from './event-definition';

/**
 * Kafka topic names, written once. A deployment (or a test run) may add a prefix so several
 * ledgers can share a broker without seeing each other's events.
 */
export interface TopicNames {
  /** One events topic per producing service; the ledger's carries its own case events. */
  readonly events: Record<ProducerName, string>;
  readonly deadLetter: string;
}

export function topicNames(prefix = ''): TopicNames {
  return {
    events: {
      'model-registry': `${prefix}aal.model-registry.events.v1`,
      'deployment-approval': `${prefix}aal.deployment-approval.events.v1`,
      'usage-events': `${prefix}aal.usage-events.events.v1`,
      ledger: `${prefix}aal.ledger.events.v1`,
      concerns: `${prefix}aal.concerns.events.v1`,
      incidents: `${prefix}aal.incidents.events.v1`,
    },
    deadLetter: `${prefix}aal.ledger.dead-letter.v1`,
  };
}

export function producerTopics(names: TopicNames): string[] {
  return Object.values(names.events);
}
