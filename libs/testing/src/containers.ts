import { createServer } from 'node:net';
import { GenericContainer, Wait } from 'testcontainers';
import { scriptKafkaVersion } from './infrastructure';

/**
 * Kafka and PostgreSQL in containers, for machines with a Docker engine. Images: AAL_TEST_KAFKA_IMAGE
 * (default apache/kafka at the version scripts/kafka.sh runs) and AAL_TEST_POSTGRES_IMAGE (default
 * postgres:15); both are configured through the official images' variables, which the local stand-ins
 * of deploy/docker/ accept too. AAL_TEST_CONTAINER_NETWORK=host puts both on the host's network,
 * listening on 127.0.0.1 only (scripts/docker-smoke.sh: its engine makes no networks). Each listens on
 * a free port that is the same inside and out, so Kafka advertises the address the tests dial.
 */
export async function startContainers(env: NodeJS.ProcessEnv = process.env): Promise<{
  kafkaBrokers: string;
  databaseUrl: string;
  stop(): Promise<void>;
}> {
  const hostNetwork = env['AAL_TEST_CONTAINER_NETWORK'] === 'host';
  const listen = hostNetwork ? '127.0.0.1' : '0.0.0.0';
  const [kafkaPort, controllerPort, postgresPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const onNetwork = (container: GenericContainer, port: number): GenericContainer =>
    hostNetwork ? container.withNetworkMode('host') : container.withExposedPorts({ container: port, host: port });

  const kafka = onNetwork(new GenericContainer(env['AAL_TEST_KAFKA_IMAGE'] ?? `apache/kafka:${scriptKafkaVersion()}`), kafkaPort)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://${listen}:${kafkaPort},CONTROLLER://${listen}:${controllerPort}`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: `1@127.0.0.1:${controllerPort}`,
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      // The consumers' 3 s session, as scripts/kafka.sh configures it (docs/kafka-notes.md).
      KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS: '3000',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka ?Server started/))
    .withStartupTimeout(180_000);

  const postgres = onNetwork(new GenericContainer(env['AAL_TEST_POSTGRES_IMAGE'] ?? 'postgres:15'), postgresPort)
    .withEnvironment({ POSTGRES_PASSWORD: 'postgres' })
    .withCommand(['postgres', '-p', String(postgresPort), '-c', `listen_addresses=${listen}`])
    // Over TCP: the official image's first-start server listens on its socket only, so this waits for the real one.
    .withHealthCheck({
      test: ['CMD-SHELL', `pg_isready -h 127.0.0.1 -p ${postgresPort} -U postgres`],
      interval: 1000,
      timeout: 3000,
      retries: 120,
    })
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(180_000);

  const [startedKafka, startedPostgres] = await Promise.all([kafka.start(), postgres.start()]);
  return {
    kafkaBrokers: `127.0.0.1:${kafkaPort}`,
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${postgresPort}/postgres`,
    stop: async () => {
      await Promise.all([startedKafka.stop(), startedPostgres.stop()]);
    },
  };
}

/** A port free on 127.0.0.1 now (the kernel's pick), for a container to listen on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
