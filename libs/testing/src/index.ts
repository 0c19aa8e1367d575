export * from './infrastructure';
export * from './test-database';
export * from './test-kafka';
export * from './eventually';
export * from './http-client';
export * from './start-app';
export * from './event-factory';
export * from './start-producer';
