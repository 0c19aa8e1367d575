// The test kit: databases, Kafka, running services, identities and test data. Unit tests of pure
// code import their helpers (the decider harness, thrownBy, shared sample data) from '@aal/testing/unit', which loads none of it.
export * from './infrastructure';
export * from './test-database';
export * from './test-kafka';
export * from './eventually';
export * from './http-client';
export * from './start-app';
export * from './event-factory';
export * from './start-producer';
export * from './test-signer';
export * from './spawn-service';
export * from './private-kafka';
export * from './test-identity';
export * from './test-producer-config';
export * from './tcp-proxy';
export * from './spawn-witness';
export * from './otlp-collector';
