import { Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import { attachKafkajs } from './kafkajs-handle';
import type { KafkaSettings } from './kafka-settings';

/**
 * The project's handle on one Kafka cluster: the port every service, test and script uses. The
 * publisher (EventPublisher), the batch consumer (BatchConsumer) and topic creation (ensureTopics)
 * take it; the few cluster questions the services ask are its methods. kafkajs is unmaintained
 * since 2023 and only this library knows it is behind the port (test/architecture.unit.test.ts
 * refuses kafkajs imports elsewhere), so replacing it is a change in libs/kafka alone.
 */
export class KafkaClient {
  private admin: Admin | null = null;
  private knownClusterId: Promise<string> | null = null;

  constructor(private readonly kafka: Kafka) {
    attachKafkajs(this, kafka);
  }

  /** The cluster's id, asked once and remembered; a failed lookup is retried on the next call. */
  clusterId(): Promise<string> {
    this.knownClusterId ??= this.briefly(async (admin) => (await admin.describeCluster()).clusterId).catch((err: unknown) => {
      this.knownClusterId = null;
      throw err;
    });
    return this.knownClusterId;
  }

  /** Resolves when the cluster answers a metadata request (readiness, asked often: one long-lived connection); rejects otherwise. */
  async ping(): Promise<void> {
    await this.onLongLived((admin) => admin.describeCluster());
  }

  /** Messages a topic has held: the sum of its partitions' high watermarks. */
  async topicSize(topic: string): Promise<number> {
    const offsets = await this.briefly((admin) => admin.fetchTopicOffsets(topic));
    return offsets.reduce((sum, o) => sum + Number(o.high), 0);
  }

  /** Deletes a consumer group and its committed offsets (the group must have no members). */
  async deleteGroup(groupId: string): Promise<void> {
    await this.briefly((admin) => admin.deleteGroups([groupId]));
  }

  /** Closes the long-lived admin connection `ping` keeps; publishers and consumers close on their own. */
  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }

  /** Runs `work` on an admin connection of its own, closed afterwards. */
  private async briefly<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Runs `work` on the long-lived admin connection, dropped after a failure so the next call reconnects. */
  private async onLongLived<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      if (!this.admin) {
        const admin = this.kafka.admin();
        await admin.connect();
        this.admin = admin;
      }
      return await work(this.admin);
    } catch (err) {
      await this.close();
      throw err;
    }
  }
}

/** The only place that constructs a kafkajs client. */
export function createKafka(
  settings: KafkaSettings,
  log: (entry: { level: string; message: string; extra: object }) => void = defaultLog,
): KafkaClient {
  return new KafkaClient(
    new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: RETRY,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }: LogEntry) => {
          const { message, ...extra } = entry;
          log({ level: logLevel[level] ?? 'INFO', message, extra });
        },
    }),
  );
}

// Retries are tried at least every second, so a client is back within ~1 s of the broker
// (docs/kafka-notes.md, "Consumer settings and recovery"); 20 retries still span ~18 s.
const RETRY = { initialRetryTime: 200, retries: 20, maxRetryTime: 1000 };

function defaultLog(entry: { level: string; message: string; extra: object }): void {
  if (entry.level !== 'ERROR' && entry.level !== 'WARN') return;
  process.stderr.write(
    `${JSON.stringify({ component: 'kafkajs', level: entry.level.toLowerCase(), msg: entry.message, ...entry.extra })}\n`,
  );
}
