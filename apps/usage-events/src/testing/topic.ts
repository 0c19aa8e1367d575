import { eventually } from '@aal/testing';
import type { RunningUsageEvents } from './usage-app';

/** How many messages the service's topic holds (sum of its partitions' high watermarks). */
export function topicCount(app: RunningUsageEvents): Promise<number> {
  return app.kafka.topicSize(app.topic);
}

/** Waits until the topic holds exactly `expected` messages (fails if it holds more). */
export async function topicHolds(app: RunningUsageEvents, expected: number): Promise<void> {
  const count = await eventually(
    () => topicCount(app),
    (n) => n >= expected,
    30000,
    `${expected} messages on ${app.topic}`,
  );
  expect(count).toBe(expected);
}
