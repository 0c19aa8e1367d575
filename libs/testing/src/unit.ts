// Helpers for unit tests of pure code. Unlike '@aal/testing', importing them loads none of the
// infrastructure kit (testcontainers, NestJS, the Kafka client), which costs seconds a suite.
export * from './decider-spec';
export * from './thrown-by';
export * from './sample-data';
