/** Stops containers this run started; a local Kafka is left running for the next run. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>)['__AAL_CONTAINERS__'] as { stop(): Promise<void> } | undefined;
  await started?.stop();
}
