import type { Kafka } from 'kafkajs';
import type { KafkaClient } from './kafka-client';

// The kafkajs client behind a KafkaClient, for this library's own modules only (index.ts does not
// export this file): everything outside libs/kafka works with the KafkaClient port.

const handles = new WeakMap<KafkaClient, Kafka>();

export function attachKafkajs(client: KafkaClient, kafka: Kafka): void {
  handles.set(client, kafka);
}

export function kafkajsOf(client: KafkaClient): Kafka {
  const kafka = handles.get(client);
  if (!kafka) throw new Error('not a KafkaClient made by createKafka');
  return kafka;
}
