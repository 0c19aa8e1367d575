import { fromBinaryMessage, type CloudEvent } from '@aal/contracts';
import { topicsFor } from '@aal/kafka';
import { createTestDatabase, createTestKafka, httpClient, readTopic, startApp } from '@aal/testing';
import type { Kafka } from 'kafkajs';
import { AppModule } from '../app.module';
import type { UsageEventsConfig } from '../config';
import { USAGE_EVENTS_SCHEMA } from '../database/usage-events.schema';

export interface RunningUsageEvents {
  readonly call: ReturnType<typeof httpClient>;
  readonly kafka: Kafka;
  /** The service's event topic, under this test file's own prefix. */
  readonly topic: string;
  close(): Promise<void>;
}

/** The service as main.ts builds it, on a fresh database and its own Kafka topic prefix. */
export async function startUsageEvents(clientId: string): Promise<RunningUsageEvents> {
  const db = await createTestDatabase([USAGE_EVENTS_SCHEMA]);
  const k = await createTestKafka(clientId);
  const config: UsageEventsConfig = { service: 'usage-events', port: 0, instanceId: 'test', database: db.settings, kafka: k.settings };
  const service = await startApp(AppModule.register(config), 'usage-events');
  return {
    call: httpClient(service.baseUrl),
    kafka: k.kafka,
    topic: topicsFor(k.settings).events['usage-events'],
    close: async () => {
      await service.close();
      await db.drop();
    },
  };
}

/** Reads `count` messages from the start of `topic`, decoded as binary-mode CloudEvents. */
export async function readEvents(app: RunningUsageEvents, count: number): Promise<Array<{ key: string | undefined; event: CloudEvent<any> }>> {
  const messages = await readTopic(app.kafka, app.topic, count);
  return messages.map((m) => {
    const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, v?.toString()]));
    const decoded = fromBinaryMessage(headers, m.value);
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.issues));
    return { key: m.key?.toString(), event: decoded.event as CloudEvent<any> };
  });
}
