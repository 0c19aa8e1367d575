import 'reflect-metadata';
import { buildEvent, latestDefinition, toBinaryMessage, topicNames } from '@aal/contracts';
import { createKafka, EventPublisher, type KafkaSettings } from '@aal/kafka';
import { signEvent, SIGNATURE_HEADER } from '@aal/ledger-core';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../apps/deployment-approval/src/database/deployment-approval.schema';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { createTestKafka, freePort, privateKafka, spawnService, testEventSigningKey, type SpawnedService } from '@aal/testing';
import { benchDatabase, fmt, quiet, report, runBench } from './bench-support';

/**
 * Recovery latency (issue #11, item 6), against a fresh start measured in the same run. On a
 * broker of its own, with a producer publishing signed events all along, it measures:
 * - after Kafka is stopped for BENCH_OUTAGE_S seconds and started again: the time until the
 *   ledger appends again, and until deployment-approval (which consumes a projection) is ready;
 * - after kill -9 of the ledger / of deployment-approval and an immediate restart: the time until
 *   /health/ready answers 200 (and, for the ledger, until it appends again);
 * - after SIGTERM and an immediate restart (a rolling restart), the same.
 *   npm run bench:recovery          (BENCH_OUTAGE_S=15, BENCH_ROUNDS=2)
 * Every wait is bounded (BENCH_WAIT_S, 120 s by default); a wait that runs out prints "> bound".
 */
const OUTAGE_S = Number(process.env['BENCH_OUTAGE_S'] ?? 15);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const WAIT_MS = Number(process.env['BENCH_WAIT_S'] ?? 120) * 1000;
const TARGET_MS = 5000;

async function main(): Promise<void> {
  const kafka = await privateKafka();
  const ledgerDb = await benchDatabase([LEDGER_SCHEMA]);
  const approvalDb = await benchDatabase([DEPLOYMENT_APPROVAL_SCHEMA]);
  const dir = mkdtempSync(join(tmpdir(), 'aal-bench-recovery-'));
  const { settings } = await createTestKafka('bench-recovery', { brokers: kafka.brokers, topicPrefix: 'recovery.' });
  const admin = new Client({ connectionString: ledgerDb.settings.adminUrl });
  await admin.connect();
  const producer = startProducer(settings);
  const services: SpawnedService[] = [];
  try {
    const env = serviceEnv(dir, settings, ledgerDb.settings, approvalDb.settings);
    const ports = { ledger: await freePort(), approval: await freePort() };
    const ledgerUrl = `http://127.0.0.1:${ports.ledger}`;
    const approvalUrl = `http://127.0.0.1:${ports.approval}`;
    const entries = async () => Number((await admin.query('SELECT coalesce(max(seq) + 1, 0) AS n FROM ledger.entries')).rows[0].n);
    const spawnLedger = () => track(services, spawnService('ledger', { ...env.ledger, LEDGER_PORT: String(ports.ledger) }));
    const spawnApproval = () =>
      track(services, spawnService('deployment-approval', { ...env.approval, DEPLOYMENT_APPROVAL_PORT: String(ports.approval) }));
    const appendsAfter = async (started: number) => {
      const before = await entries();
      return until(async () => (await entries()) > before, started);
    };

    const rows: Record<string, number[]> = {};
    const add = (name: string, ms: number) => {
      rows[name] ??= [];
      rows[name].push(ms);
    };

    // Fresh start (no predecessor in any consumer group): the baseline.
    let started = Date.now();
    let ledger = spawnLedger();
    let approval = spawnApproval();
    add('fresh start: ledger ready', await until(() => ready(ledgerUrl), started));
    add('fresh start: ledger appends', await appendsAfter(started));
    add('fresh start: deployment-approval ready', await until(() => ready(approvalUrl), started));

    for (let round = 1; round <= ROUNDS; round++) {
      process.stdout.write(`round ${round}: Kafka outage of ${OUTAGE_S} s ...\n`);
      await kafka.stop();
      await sleep(OUTAGE_S * 1000);
      await kafka.start();
      started = Date.now();
      const ack = until(async () => producer.acknowledgedAt() > started, started);
      const appended = appendsAfter(started);
      const approvalReady = until(() => ready(approvalUrl), started);
      add('Kafka back: producer acknowledged', await ack);
      add('Kafka back: ledger appends', await appended);
      add('Kafka back: deployment-approval ready', await approvalReady);

      process.stdout.write(`round ${round}: kill -9 and restart ...\n`);
      await ledger.crash();
      started = Date.now();
      ledger = spawnLedger();
      add('kill -9 ledger: ready', await until(() => ready(ledgerUrl), started));
      add('kill -9 ledger: appends', await appendsAfter(started));
      await approval.crash();
      started = Date.now();
      approval = spawnApproval();
      add('kill -9 deployment-approval: ready', await until(() => ready(approvalUrl), started));

      process.stdout.write(`round ${round}: SIGTERM and restart ...\n`);
      await ledger.stop();
      started = Date.now();
      ledger = spawnLedger();
      add('SIGTERM ledger: ready', await until(() => ready(ledgerUrl), started));
      add('SIGTERM ledger: appends', await appendsAfter(started));
      await approval.stop();
      started = Date.now();
      approval = spawnApproval();
      add('SIGTERM deployment-approval: ready', await until(() => ready(approvalUrl), started));
    }

    report(
      `recovery latency, ${ROUNDS} round(s), outage ${OUTAGE_S} s, target ≤ ${fmt(TARGET_MS / 1000)} s (min – max over rounds)`,
      Object.entries(rows).map(([name, ms]) => [
        name,
        `${seconds(Math.min(...ms))} – ${seconds(Math.max(...ms))}${name.startsWith('fresh') || name.includes('producer') ? '' : Math.max(...ms) <= TARGET_MS ? '   met' : '   NOT met'}`,
      ]),
    );
  } finally {
    await producer.stop();
    await Promise.all(services.map((s) => s.stop()));
    await admin.end();
    await kafka.dispose();
    await ledgerDb.drop();
    await approvalDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function track(all: SpawnedService[], p: SpawnedService): SpawnedService {
  all.push(p);
  return p;
}

/**
 * The processes' configuration: the same topics for both. spawnService adds the test identity
 * provider and event keys (every producer's key trusted, each signing with its own).
 */
function serviceEnv(
  dir: string,
  kafka: KafkaSettings,
  ledgerDb: { adminUrl: string; appPassword: string },
  approvalDb: { adminUrl: string; appPassword: string },
) {
  const checkpointKey = join(dir, 'checkpoint.pem');
  writeFileSync(checkpointKey, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const common = { KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_TOPIC_PREFIX: kafka.topicPrefix };
  return {
    ledger: {
      ...common,
      DATABASE_URL: ledgerDb.adminUrl,
      DATABASE_APP_PASSWORD: ledgerDb.appPassword,
      LEDGER_SIGNING_KEY_FILE: checkpointKey,
      LEDGER_ORIGIN: 'bench.local/aal',
    },
    approval: { ...common, DATABASE_URL: approvalDb.adminUrl, DATABASE_APP_PASSWORD: approvalDb.appPassword, INSTANCE_ID: 'bench' },
  };
}

/** Publishes a few signed model.registered events every 100 ms, through outages (failed sends are retried). */
function startProducer(settings: KafkaSettings) {
  const publisher = new EventPublisher(createKafka(settings, quiet));
  const topic = topicNames(settings.topicPrefix).events['model-registry'];
  const definition = latestDefinition('model.registered');
  const key = testEventSigningKey('model-registry');
  const actor = { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' };
  let running = true;
  let acknowledgedAt = 0;
  const loop = (async () => {
    while (running) {
      const messages = Array.from({ length: 5 }, () => {
        const event = buildEvent(
          definition,
          {
            modelId: randomUUID(),
            vendorId: 'acme-ai',
            name: 'Bench',
            intendedPurpose: 'Recovery bench.',
            riskClass: 'uk-mdr-class-i',
            manufacturerSafetyOfficer: 'psn_acmecso00001',
            actor,
          } as never,
          {
            id: randomUUID(),
            source: '/aal/model-registry/bench',
            time: new Date().toISOString(),
          },
        );
        const m = toBinaryMessage(event);
        return { topic, ...m, headers: { ...m.headers, [SIGNATURE_HEADER]: signEvent(m.headers, m.value, key) } };
      });
      try {
        await publisher.publish(messages);
        acknowledgedAt = Date.now();
      } catch {
        // Kafka is away: try again on the next tick.
      }
      await sleep(100);
    }
  })();
  return {
    acknowledgedAt: () => acknowledgedAt,
    stop: async () => {
      running = false;
      await loop;
      await publisher.disconnect().catch(() => undefined);
    },
  };
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(4000) })).status === 200;
  } catch {
    return false;
  }
}

/** Milliseconds from `started` until `probe` holds, polled every 50 ms; Infinity past the bound. */
async function until(probe: () => Promise<boolean>, started: number): Promise<number> {
  while (Date.now() - started < WAIT_MS) {
    if (await probe().catch(() => false)) return Date.now() - started;
    await sleep(50);
  }
  return Infinity;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => (Number.isFinite(ms) ? `${fmt(ms / 1000, 1)} s` : `> ${fmt(WAIT_MS / 1000)} s (bound)`);

runBench(main);
