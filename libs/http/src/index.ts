export * from './problem-details';
export * from './problem-details.filter';
export * from './request-validation.error';
export * from './schema-pipe';
export * from './correlation-id';
export * from './caller';
export * from './idempotency-key';
export * from './http-problem';
