import { subjectOf, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { actors, makeEvent, outputChainEvents, outputChainIds } from '@aal/testing';
import { createHash, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { toFactRows, applyNextPage } from '../apps/ledger/src/accountability/application/facts.projection';
import { FactsRepository } from '../apps/ledger/src/accountability/infrastructure/facts.repository';
import { applyOversightPage } from '../apps/ledger/src/oversight/application/oversight.projection';
import { fmt } from './bench-support';

/**
 * A synthetic log of one busy deployment, shared by bench:oversight and bench:accountability: its
 * model, version, request, approval, activation and policy (both wards, both roles), optionally a
 * training record per professional, then `outputs` outputs, each generated and acted on (two
 * entries), spread over a year of 52 ISO weeks on two wards by 200 professionals in two roles,
 * recorded two seconds after they happened. Entries are written straight into `ledger.entries`
 * (valid CloudEvents in the signed-event format; no Merkle tree). The deployment's own entries go
 * through the real facts projection; the REAL oversight projection (`applyOversightPage`) is run
 * over the whole log and timed.
 */
export const FIRST_DAY = Date.parse('2025-10-06T00:00:00Z'); // a Monday
export const DAYS = 364;
const INSERT_BATCH = 5000;
const PROJECT_PAGE = 5000;

const sites = ['ward-7a', 'ward-7b'];
const roles = ['staff-nurse', 'doctor'];
const PEOPLE_PER_SITE_AND_ROLE = 50;

export interface DeploymentLog {
  readonly deploymentId: string;
  /** The log's size (its next seq). */
  readonly total: number;
  /** The seq of the first output entry. */
  readonly firstOutputSeq: number;
  readonly millis: Record<string, number>;
}

export interface DeploymentLogOptions {
  readonly outputs: number;
  /** One training record per professional (a real deployment's size), not just the chain's one. */
  readonly trainEveryone?: boolean;
  /**
   * Index the outputs in the facts projection too (accountability answers need them; oversight
   * reads only the deployment's own facts). Written by one INSERT … SELECT with the keys the real
   * projection gives these two event types (their subject); a sample page is checked against
   * `toFactRows`, the projection's own rule.
   */
  readonly indexOutputs?: boolean;
}

interface Row {
  seq: number;
  event: CloudEvent<unknown>;
  recordedAt: string;
}

/** A deterministic pseudo-random generator, so runs compare. */
export function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The id of the bench's output number `i`. */
export const benchOutputId = (i: number) => `out-bench-${String(i).padStart(7, '0')}`;

const personOf = (site: string, role: string, n: number) => `psn_bench_${site}_${role}_${n}`;

async function insert(admin: Client, rows: readonly Row[]): Promise<void> {
  const messages = rows.map((r) => toBinaryMessage(r.event));
  await admin.query(
    `INSERT INTO ledger.entries (seq, event_id, source, type, subject, event_time, recorded_at, recorded_at_text,
                                 kafka_topic, kafka_partition, kafka_offset, headers, value, content_hash, leaf_hash, chain_hash)
     SELECT s, i, '/aal/usage-events/bench', t, sub, et, ra::timestamptz, ra, 'bench', 0, s, h, v, '\\x00'::bytea, '\\x00'::bytea, '\\x00'::bytea
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[], $8::bytea[])
         AS u(s, i, t, sub, et, ra, h, v)`,
    [
      rows.map((r) => r.seq),
      rows.map((r) => r.event.id),
      rows.map((r) => r.event.type),
      rows.map((r) => r.event.subject),
      rows.map((r) => r.event.time),
      rows.map((r) => r.recordedAt),
      messages.map((m) => JSON.stringify(m.headers)),
      messages.map((m) => Buffer.from(m.value)),
    ],
  );
}

/** The output's two events at `at`, from templates validated once (makeEvent), with this output's id and figures. */
function outputEvents(
  generated: CloudEvent<Record<string, unknown>>,
  acted: CloudEvent<Record<string, unknown>>,
  i: number,
  at: number,
  random: () => number,
): [CloudEvent<unknown>, CloudEvent<unknown>] {
  const outputId = benchOutputId(i);
  const site = sites[Math.floor(random() * 2)]!;
  const role = roles[Math.floor(random() * 2)]!;
  const person = personOf(site, role, Math.floor(random() * PEOPLE_PER_SITE_AND_ROLE));
  const subject = subjectOf('output', outputId);
  return [
    {
      ...generated,
      id: randomUUID(),
      subject,
      time: new Date(at).toISOString(),
      data: { ...generated.data, outputId, site, outputDigest: `sha256:${createHash('sha256').update(outputId).digest('hex')}` },
    },
    {
      ...acted,
      id: randomUUID(),
      subject,
      time: new Date(at + 60_000).toISOString(),
      data: {
        ...acted.data,
        outputId,
        professional: { personId: person, role },
        action: random() < 0.7 ? 'accepted' : random() < 0.5 ? 'modified' : 'overridden',
        reviewDurationSeconds: 10 + Math.floor(random() * 230),
      },
    },
  ];
}

/** The deployment's own events: the chain's first seven, its policy widened to both roles, and (optionally) everyone's training. */
function deploymentEvents(chain: CloudEvent<unknown>[], trainEveryone: boolean) {
  const policyIndex = chain.findIndex((e) => e.type === 'aal.usage-policy.issued.v1');
  chain[policyIndex] = makeEvent(
    'usage-policy.issued',
    { ...(chain[policyIndex]!.data as object), sites, roles },
    { time: chain[policyIndex]!.time },
  );
  const own = chain.slice(0, 7);
  if (!trainEveryone) return own;
  const template = own.find((e) => e.type === 'aal.training.recorded.v1')!;
  for (const site of sites)
    for (const role of roles)
      for (let n = 0; n < PEOPLE_PER_SITE_AND_ROLE; n++)
        own.push(
          makeEvent(
            'training.recorded',
            { ...(template.data as object), trainingId: randomUUID(), professionalId: personOf(site, role, n) },
            { time: template.time },
          ),
        );
  return own;
}

/** Writes the log described above and runs the projections over it; prints progress. */
export async function loadDeploymentLog(admin: Client, dataSource: DataSource, options: DeploymentLogOptions): Promise<DeploymentLog> {
  const millis: Record<string, number> = {};
  const ids = outputChainIds('out-bench-chain');
  const chain = outputChainEvents(ids, FIRST_DAY - 14 * 86_400_000);
  const own = deploymentEvents(chain, options.trainEveryone ?? false);
  const later = (e: CloudEvent<unknown>) => new Date(Date.parse(e.time) + 2000).toISOString();
  await insert(
    admin,
    own.map((event, seq) => ({ seq, event, recordedAt: later(event) })),
  );
  const facts = new FactsRepository(dataSource);
  while ((await applyNextPage(facts, dataSource)) !== null);
  const generated = chain[7] as CloudEvent<Record<string, unknown>>;
  const acted = makeEvent(
    'output.acted-on',
    { ...(chain[9]!.data as object), actor: actors.clinicalSystem },
    { time: chain[9]!.time },
  ) as CloudEvent<Record<string, unknown>>;

  let started = Date.now();
  const random = lcg(20261202);
  // Outputs in time order, each followed by its action, recorded two seconds after they happen
  // and never before the entry before them (the ledger stamps recorded times in append order).
  const times = new Float64Array(options.outputs);
  for (let i = 0; i < options.outputs; i++) times[i] = FIRST_DAY + Math.floor(random() * DAYS * 86_400_000);
  times.sort();
  const firstOutputSeq = own.length;
  let seq = firstOutputSeq;
  let lastRecorded = 0;
  const recorded = (e: CloudEvent<unknown>) => {
    lastRecorded = Math.max(lastRecorded, Date.parse(e.time) + 2000);
    return new Date(lastRecorded).toISOString();
  };
  for (let i = 0; i < options.outputs; i += INSERT_BATCH / 2) {
    const rows: Row[] = [];
    for (let j = i; j < Math.min(options.outputs, i + INSERT_BATCH / 2); j++)
      for (const event of outputEvents(generated, acted, j, times[j]!, random))
        rows.push({ seq: seq++, event, recordedAt: recorded(event) });
    await insert(admin, rows);
    if ((i / (INSERT_BATCH / 2)) % 40 === 39) process.stdout.write(`  wrote ${fmt(seq)} entries ...\n`);
  }
  millis['write entries'] = Date.now() - started;

  if (options.indexOutputs) {
    started = Date.now();
    await indexOutputs(admin, facts, firstOutputSeq, seq);
    millis['index outputs in facts'] = Date.now() - started;
  }
  await admin.query(`UPDATE ledger.projection_positions SET next_seq = $1 WHERE projection = 'facts'`, [seq]);

  started = Date.now();
  let pages = 0;
  while ((await applyOversightPage(dataSource, undefined, PROJECT_PAGE)) !== null) {
    pages++;
    if (pages % 40 === 0) process.stdout.write(`  projected ${fmt(pages * PROJECT_PAGE)} entries ...\n`);
  }
  millis['project (real projection)'] = Date.now() - started;
  await admin.query('ANALYZE');
  return { deploymentId: ids.deploymentId, total: seq, firstOutputSeq, millis };
}

/** Output entries into the facts index under their subject: what `toFactRows` gives them, checked on a page first. */
async function indexOutputs(admin: Client, facts: FactsRepository, from: number, to: number): Promise<void> {
  const subjects = new Map(
    (await admin.query('SELECT seq, subject FROM ledger.entries WHERE seq >= $1 ORDER BY seq LIMIT 1000', [from])).rows.map(
      (r: { seq: string; subject: string }) => [Number(r.seq), r.subject],
    ),
  );
  for (const row of toFactRows(await facts.entriesFrom(from, 1000)))
    if (row.keys.length !== 1 || row.keys[0] !== subjects.get(row.seq))
      throw new Error(`the facts projection keys entry ${row.seq} as ${JSON.stringify(row.keys)}, not by its subject alone`);
  for (let start = from; start < to; start += 200_000)
    await admin.query(
      `INSERT INTO ledger.facts (seq, recorded_at, keys)
       SELECT seq, recorded_at, ARRAY[subject] FROM ledger.entries WHERE seq >= $1 AND seq < $2 ON CONFLICT (seq) DO NOTHING`,
      [start, Math.min(to, start + 200_000)],
    );
}
