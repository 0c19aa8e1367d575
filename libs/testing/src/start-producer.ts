import { fromBinaryMessage, type CloudEvent } from '@aal/contracts';
import type { ServiceSchema } from '@aal/database';
import { readTopic, topicsFor, type KafkaClient } from '@aal/kafka';
import type { ProducerAppConfig, ProducerService } from '@aal/service-kit';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { httpClient } from './http-client';
import { startApp } from './start-app';
import { createTestDatabase } from './test-database';
import { createTestKafka } from './test-kafka';
import { tcpProxy, type TcpProxy } from './tcp-proxy';
import { testProducerConfig } from './test-producer-config';

export interface RunningProducer {
  readonly app: INestApplication;
  readonly baseUrl: string;
  /** The test database, as its administrative user (for tests that must reach below the API). */
  readonly databaseUrl: string;
  readonly call: ReturnType<typeof httpClient>;
  readonly kafka: KafkaClient;
  /** The service's event topic, under this test file's own prefix. */
  readonly topic: string;
  /** With `{ databaseProxy: true }`: the proxy between the service and PostgreSQL, to cut and restore. */
  readonly databaseProxy?: TcpProxy;
  /** Reads `count` messages from the start of the topic, decoded as binary-mode CloudEvents. */
  readEvents(count: number): Promise<Array<{ key: string | undefined; event: CloudEvent<any> }>>;
  close(): Promise<void>;
}

/** A producing service as main.ts builds it, on a fresh database and its own topic prefix. */
export async function startProducer(
  service: ProducerService,
  schema: ServiceSchema,
  moduleFor: (config: ProducerAppConfig) => DynamicModule,
  options: { readonly databaseProxy?: boolean } = {},
): Promise<RunningProducer> {
  const db = await createTestDatabase([schema]);
  const { kafka, settings } = await createTestKafka(`${service}-test`);
  const server = new URL(db.adminUrl);
  const proxy = options.databaseProxy ? await tcpProxy({ host: server.hostname, port: Number(server.port || 5432) }) : undefined;
  const database = proxy ? { ...db.settings, adminUrl: viaPort(db.adminUrl, proxy.port) } : db.settings;
  const app = await startApp(moduleFor(testProducerConfig(service, { database, kafka: settings })), service);
  const topic = topicsFor(settings).events[service];
  return {
    app: app.app,
    baseUrl: app.baseUrl,
    databaseUrl: db.adminUrl,
    call: httpClient(app.baseUrl),
    kafka,
    topic,
    ...(proxy ? { databaseProxy: proxy } : {}),
    readEvents: async (count) =>
      (await readTopic(kafka, topic, count)).map((m) => {
        const decoded = fromBinaryMessage(m.headers, m.value);
        if (!decoded.ok) throw new Error(JSON.stringify(decoded.issues));
        return { key: m.key ?? undefined, event: decoded.event as CloudEvent<any> };
      }),
    close: async () => {
      await proxy?.restore();
      await app.close();
      await proxy?.close();
      await db.drop();
    },
  };
}

function viaPort(url: string, port: number): string {
  const next = new URL(url);
  next.hostname = '127.0.0.1';
  next.port = String(port);
  return next.toString();
}
