import { servicePort, SERVICE_PORTS, type ProducerName } from '@aal/contracts';

/** Waits until every service answers /health/ready (or exits 1 after the timeout, naming which not). */
async function main(): Promise<void> {
  const services = Object.keys(SERVICE_PORTS) as ProducerName[];
  const deadline = Date.now() + Number(process.env['READY_TIMEOUT_MS'] ?? 90000);
  const pending = new Set(services);
  let lastAnswer: Record<string, string> = {};
  while (pending.size > 0 && Date.now() < deadline) {
    for (const service of [...pending]) {
      const url = `http://127.0.0.1:${servicePort(service)}/health/ready`;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
        if (res.ok) {
          pending.delete(service);
          process.stdout.write(`  ${service.padEnd(20)} ready on http://127.0.0.1:${servicePort(service)}\n`);
        } else lastAnswer[service] = `${res.status} ${await res.text()}`;
      } catch (err) {
        lastAnswer[service] = (err as Error).message;
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
  if (pending.size > 0) {
    for (const service of pending) process.stderr.write(`  ${service} not ready: ${lastAnswer[service] ?? 'no answer'}\n`);
    process.exit(1);
  }
  lastAnswer = {};
}

void main();
