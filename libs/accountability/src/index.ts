// The accountability answer as a pure function of proven entries: shared by the ledger (which
// serves it) and the verifier (which recomputes it offline). Imports only @aal/contracts.
export * from './fact';
export * from './clocks';
export * from './accountability-chain';
export * from './accountability-chain.schema';
export * from './findings';
export * from './scope-checks';
export * from './accountability-answer';
export * from './answer-basis';
export * from './answer-inputs';
export * from './case-timeline';
export * from './findings-docs';
export * from './case-answers';
export * from './case-record';
export * from './case-report';
export * from './concern-answer';
export * from './shared-answer-values';
export * from './review-histogram';
export * from './oversight';
export * from './oversight-findings';
export * from './oversight-usage';
export * from './deployment-scope-answer';
export * from './recommendations';
export * from './regulatory-duties';
export * from './regulatory-map';
export * from './regulatory-docs';
export * from './incident-clock';
