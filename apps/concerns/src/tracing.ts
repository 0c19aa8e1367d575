// Imported first by main.ts: the instrumentations patch http, express, pg and kafkajs only if they
// are registered before those modules are first required (docs/operations.md, "Tracing").
import { startTracing } from '@aal/telemetry';

startTracing('concerns');
