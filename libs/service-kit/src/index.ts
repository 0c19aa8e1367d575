export * from './json-logger';
export * from './readiness';
export * from './readiness-checks';
export * from './create-service-app';
export * from './clock';
export * from './aggregate-store';
export * from './producer-kit.module';
export * from './run-decider';
