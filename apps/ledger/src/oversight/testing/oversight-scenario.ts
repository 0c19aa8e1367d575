import type { CloudEvent } from '@aal/contracts';
import { actors, makeEvent, outputChainEvents, outputChainIds, type OutputChainIds } from '@aal/testing';
import { randomUUID } from 'node:crypto';

/** The Monday (UTC) of the first scenario week; weeks follow it. */
export const FIRST_WEEK = '2026-10-05';

const DAY_MS = 86_400_000;

/** Professional `k` (1-based): `psn_nurse0000001` is the one the factory's chain trains. */
export const nurse = (k: number) => ({ personId: `psn_nurse${String(k).padStart(7, '0')}`, role: 'staff-nurse' });

/**
 * A deployment's chain as the event factory builds it (model, version, request, approval,
 * activation, a policy, training of nurse 1, one output a week before FIRST_WEEK), with the policy
 * made `use` and its minimum `minimumReviewSeconds`.
 */
export function deploymentChain(
  use: 'advisory' | 'mandatory',
  minimumReviewSeconds = 60,
): { ids: OutputChainIds; events: CloudEvent<unknown>[] } {
  const ids = outputChainIds(`out-ov-${randomUUID().slice(0, 8)}`);
  const base = Date.parse(FIRST_WEEK) - 7 * DAY_MS + 9 * 3_600_000;
  const events = outputChainEvents(ids, base).map((e) =>
    e.type === 'aal.usage-policy.issued.v1'
      ? makeEvent('usage-policy.issued', { ...(e.data as object), use, minimumReviewSeconds }, { time: e.time })
      : e,
  );
  return { ids, events };
}

/**
 * `n` outputs of the deployment in week `week` (0 = FIRST_WEEK), spread over its seven days on
 * ward-7a (in `service` when given; else stating none), each accepted one minute later by one of
 * `professionals` nurses after `seconds` of review.
 */
export function weekOfOutputs(
  ids: OutputChainIds,
  week: number,
  n: number,
  professionals: number,
  seconds: number,
  service?: string,
): { outputIds: string[]; events: CloudEvent<unknown>[] } {
  const outputIds: string[] = [];
  const events: CloudEvent<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const at = Date.parse(FIRST_WEEK) + (week * 7 + (i % 7)) * DAY_MS + 8 * 3_600_000 + i * 60_000;
    const outputId = `${ids.outputId}-w${week}-${i}`;
    outputIds.push(outputId);
    events.push(
      makeEvent(
        'output.generated',
        {
          outputId,
          organisationId: 'st-swithins',
          deploymentId: ids.deploymentId,
          modelId: ids.modelId,
          versionId: ids.versionId,
          subjectRef: `psn_subject${String(i).padStart(5, '0')}`,
          outputDigest: `sha256:${'d'.repeat(64)}`,
          site: 'ward-7a',
          ...(service === undefined ? {} : { service }),
          actor: actors.clinicalSystem,
        },
        { time: new Date(at).toISOString() },
      ),
      makeEvent(
        'output.acted-on',
        {
          outputId,
          organisationId: 'st-swithins',
          professional: nurse((i % professionals) + 1),
          action: 'accepted',
          reviewDurationSeconds: seconds,
          actor: actors.clinicalSystem,
        },
        { time: new Date(at + 60_000).toISOString() },
      ),
    );
  }
  return { outputIds, events };
}

/** Training of `nurse(k)` for the deployment, completed before FIRST_WEEK. */
export function trainingOf(ids: OutputChainIds, k: number): CloudEvent<unknown> {
  const completedAt = new Date(Date.parse(FIRST_WEEK) - 3 * DAY_MS).toISOString();
  return makeEvent(
    'training.recorded',
    {
      trainingId: randomUUID(),
      employerId: 'st-swithins',
      professionalId: nurse(k).personId,
      deploymentId: ids.deploymentId,
      course: 'SepsisWatch essentials',
      completedAt,
      actor: actors.employerAdmin,
    },
    { time: completedAt },
  );
}

/** An incident reported about `outputIds` at `time`. */
export function incidentAbout(outputIds: string[], time: string): CloudEvent<unknown> {
  return makeEvent(
    'incident.reported',
    {
      incidentId: randomUUID(),
      organisationId: 'st-swithins',
      outputIds,
      harmReference: 'LFPSE-2026-0042',
      severity: 'low',
      actor: actors.clinicalSystem,
    },
    { time },
  );
}
