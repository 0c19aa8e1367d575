export * from './database-settings';
export * from './service-schema';
export * from './provision';
export * from './app-data-source';
export * from './retention';
export * from './retention-purge';
