import { KafkaContainer } from '@testcontainers/kafka';
import { PostgreSqlContainer } from '@testcontainers/postgresql';

/** Kafka and PostgreSQL in containers, for machines with a Docker engine. */
export async function startContainers(): Promise<{ kafkaBrokers: string; databaseUrl: string; stop(): Promise<void> }> {
  const [kafka, postgres] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().withExposedPorts(9093).start(),
    new PostgreSqlContainer('postgres:15').withUsername('postgres').withPassword('postgres').start(),
  ]);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    databaseUrl: postgres.getConnectionUri(),
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}
