import { readTopic } from '@aal/kafka';
import { eventually } from '@aal/testing';
import type { RunningUsageEvents } from './usage-app';

/**
 * How many distinct events the service's topic holds (by CloudEvent id). Not the high watermarks:
 * the outbox relay publishes at least once, so a send retried under load may put an event on the
 * topic twice (the ledger keeps one); what a test asks is whether a request published a new event.
 */
export async function topicCount(app: RunningUsageEvents): Promise<number> {
  const held = await app.kafka.topicSize(app.topic);
  if (held === 0) return 0;
  const messages = await readTopic(app.kafka, app.topic, held);
  return new Set(messages.map((m) => m.headers['ce_id'])).size;
}

/** Waits until the topic holds exactly `expected` distinct events (fails if it holds more). */
export async function topicHolds(app: RunningUsageEvents, expected: number): Promise<void> {
  const count = await eventually(
    () => topicCount(app),
    (n) => n >= expected,
    30000,
    `${expected} events on ${app.topic}`,
  );
  expect(count).toBe(expected);
}
