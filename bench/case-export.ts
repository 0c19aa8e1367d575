import 'reflect-metadata';
import { parseVerifierKey, verifierKeyString } from '@aal/ledger-core';
import { actors, makeEvent, testCheckpointSettings, tokenFor } from '@aal/testing';
import { verifyCaseBundle, type CaseBundle } from '@aal/verifier';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { investigators, referIncident } from '../apps/ledger/src/investigations/testing/case-scenario';
import { TestLedger } from '../apps/ledger/src/testing/test-ledger';
import { manyOutputsEvents, manyOutputsId } from '../libs/verifier/src/testing/many-outputs-case-fixture';
import { fmt, percentile, report, runBench } from './bench-support';

/**
 * The case export of a large case (issue #16, target 4: a 1,000-output case exported in < 2 s).
 * The ledger runs in this process on its own database and topics; BENCH_OUTPUTS outputs (default
 * 1,000; each generated, presented and acted on, under one model and deployment) and an incident
 * naming them all go in through Kafka as signed events; an investigator opens a case on the
 * incident, and GET /cases/{id}/export is timed BENCH_ROUNDS times (default 5, to the last byte).
 * Baseline in the same run: one SQL statement reading the same entries' content (what any export
 * must at least read). The export is also verified offline with the shared code (every answer
 * recomputed), and its size printed.
 *   npm run bench:case-export
 */
const OUTPUTS = Math.min(Number(process.env['BENCH_OUTPUTS'] ?? 1000), 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const TARGET_MS = 2000;
const origin = 'bench.local/aal';

async function main(): Promise<void> {
  process.env['KAFKA_BROKERS'] ??= '127.0.0.1:9092';
  process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const keys = testCheckpointSettings(origin, { minIntervalMs: 200, idleIntervalMs: 500 });
  const ledger = await TestLedger.start('bench-case-export', { checkpoints: keys.settings });
  const admin = new Client({ connectionString: ledger.db.adminUrl });
  await admin.connect();
  try {
    const incidentId = randomUUID();
    const events = [
      ...manyOutputsEvents(OUTPUTS),
      makeEvent('incident.reported', {
        incidentId,
        organisationId: 'st-swithins',
        outputIds: Array.from({ length: OUTPUTS }, (_, i) => manyOutputsId(i)),
        harmReference: 'LFPSE-BENCH-0001',
        severity: 'moderate',
        actor: actors.clinicalSystem,
      }),
    ];
    let started = process.hrtime.bigint();
    for (let i = 0; i < events.length; i += 1000) await ledger.publish(events.slice(i, i + 1000));
    await ledger.checkpoint((size) => size >= events.length, `a checkpoint of ${events.length} entries`, 300_000);
    const loadedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const referral = await referIncident(ledger.call, incidentId, 'Referral BENCH-1');
    if (referral.status !== 201) throw new Error(`the referral answered ${referral.status}: ${JSON.stringify(referral.body)}`);
    const opened = await ledger.call('POST', '/cases', {
      caller: investigators.lead,
      body: { title: 'Bench case', incidentId },
    });
    if (opened.status !== 201) throw new Error(`opening the case answered ${opened.status}: ${JSON.stringify(opened.body)}`);
    const caseId = opened.body.caseId as string;
    const headers = { authorization: `Bearer ${await tokenFor(investigators.lead)}` };

    const exportMs: number[] = [];
    let bundle: CaseBundle | undefined;
    let bytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      started = process.hrtime.bigint();
      const res = await fetch(`${ledger.baseUrl}/cases/${caseId}/export`, { headers });
      const body = Buffer.from(await res.arrayBuffer());
      exportMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status !== 200) throw new Error(`the export answered ${res.status}: ${body.toString().slice(0, 500)}`);
      bytes = body.length;
      bundle = JSON.parse(body.toString()) as CaseBundle;
    }
    if (bundle!.accountability.length !== OUTPUTS)
      throw new Error(`the export holds ${bundle!.accountability.length} answers, not ${OUTPUTS}`);

    const seqs = bundle!.entries.map((e) => e.seq);
    const baselineMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      started = process.hrtime.bigint();
      await admin.query('SELECT seq, recorded_at_text, headers, value FROM ledger.entries WHERE seq = ANY($1::bigint[])', [seqs]);
      baselineMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    started = process.hrtime.bigint();
    const verdict = verifyCaseBundle(bundle!, {
      key: parseVerifierKey(verifierKeyString(keys.settings.signer.name, keys.settings.signer.publicKey)),
      origin,
    });
    const verifyMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (!verdict.ok) throw new Error(`the export does not verify: ${JSON.stringify(verdict).slice(0, 500)}`);

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const p50 = percentile(sorted(exportMs), 50);
    const b50 = percentile(sorted(baselineMs), 50);
    report(
      `case export of ${fmt(OUTPUTS)} outputs (${fmt(seqs.length)} proven entries, ${fmt(bytes / 2 ** 20, 1)} MiB), ${ROUNDS} rounds`,
      [
        ['log built through Kafka', `${fmt(events.length)} events in ${fmt(loadedMs / 1000, 1)} s`],
        ['baseline: the entries in one statement', `median ${fmt(b50, 1)} ms`],
        [
          'GET /cases/{id}/export',
          `median ${fmt(p50)} ms   max ${fmt(Math.max(...exportMs))} ms   (${fmt(p50 / b50, 1)}× baseline)   rounds ${exportMs.map((m) => fmt(m)).join(', ')}`,
        ],
        ['verified offline, every answer recomputed', `${fmt(verifyMs)} ms`],
        ['target', `< ${fmt(TARGET_MS)} ms: ${p50 < TARGET_MS ? 'met' : 'NOT met'} (median)`],
      ],
    );
  } finally {
    await admin.end();
    await ledger.stop();
  }
}

runBench(main);
