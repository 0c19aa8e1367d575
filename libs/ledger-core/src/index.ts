export * from './canonical-json';
export * from './hashing';
export * from './ledger-entry';
export * from './chain-verification';
export * from './merkle';
export * from './signed-note';
export * from './checkpoint';
export * from './event-signature';
