import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaSettings } from './kafka-settings';

/**
 * The only place that constructs a kafkajs client. kafkajs is unmaintained since 2023; keeping
 * it behind this library (publisher, batch consumer, topic admin) lets another client replace it.
 */
export function createKafka(settings: KafkaSettings, log: (entry: { level: string; message: string; extra: object }) => void = defaultLog): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    // Retries are tried at least every second, so a client is back within ~1 s of the broker
    // (docs/kafka-notes.md, "Consumer settings and recovery"); 20 retries still span ~18 s.
    retry: { initialRetryTime: 200, retries: 20, maxRetryTime: 1000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...extra } = entry;
        log({ level: logLevel[level] ?? 'INFO', message, extra });
      },
  });
}

function defaultLog(entry: { level: string; message: string; extra: object }): void {
  if (entry.level !== 'ERROR' && entry.level !== 'WARN') return;
  process.stderr.write(`${JSON.stringify({ component: 'kafkajs', level: entry.level.toLowerCase(), msg: entry.message, ...entry.extra })}\n`);
}
