export * from './kafka-settings';
export * from './kafka-client';
export * from './topic-admin';
export * from './event-publisher';
export * from './batch-consumer';
export * from './read-topic';
