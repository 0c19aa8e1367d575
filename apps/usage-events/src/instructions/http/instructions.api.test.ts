import { subjectOf, validateEvent } from '@aal/contracts';
import { readEvents, runningUsageEvents } from '../../testing/usage-app';
import { at, clinicalSystem, MINUTE, nurse, otherTrust, outputBody, registrar } from '../../testing/usage.factories';

describe('usage-events API: instructions', () => {
  const usage = runningUsageEvents();
  const { call } = usage;

  // First in this file on purpose: the topic then holds exactly these two events.
  it("records an instruction about an output in that output's history and on its Kafka key, after the generation", async () => {
    const base = Date.now() - 30 * MINUTE;
    const output = outputBody(at(base));
    expect((await call('POST', '/outputs', { body: output, caller: clinicalSystem })).status).toBe(201);

    const occurredAt = at(base, 3);
    const body = {
      instructor: registrar,
      professionalId: nurse.personId,
      kind: 'follow-ai',
      outputId: output.outputId,
      note: 'Follow the screen tonight.',
      occurredAt,
    };
    const res = await call('POST', '/instructions', { body, caller: clinicalSystem });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      instructionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      organisationId: clinicalSystem.organisationId,
      instructor: registrar,
      professionalId: nurse.personId,
      kind: 'follow-ai',
      outputId: output.outputId,
      note: 'Follow the screen tonight.',
      occurredAt,
      givenBy: clinicalSystem,
      subject: subjectOf('output', output.outputId),
    });

    const view = await call('GET', `/outputs/${output.outputId}`, { caller: clinicalSystem });
    expect(view.body.instructions).toEqual([
      expect.objectContaining({ instructionId: res.body.instructionId, kind: 'follow-ai', occurredAt }),
    ]);
    expect(view.body.revision).toBe(2);

    const published = await readEvents(usage.app, 2);
    expect(published.map((m) => [m.key, m.event.type, m.event.time])).toEqual([
      [subjectOf('output', output.outputId), 'aal.output.generated.v2', output.occurredAt],
      [subjectOf('output', output.outputId), 'aal.instruction.given.v1', occurredAt],
    ]);
    expect(validateEvent(published[1]!.event)).toEqual([]);
    expect(published[1]!.event.data).toMatchObject({ instructionId: res.body.instructionId, actor: clinicalSystem });
  });

  it('records an instruction about a case alone under its own subject', async () => {
    const occurredAt = at(Date.now(), -15);
    const res = await call('POST', '/instructions', {
      body: { instructor: registrar, professionalId: nurse.personId, kind: 'do-not-use-ai', caseRef: 'case-2025-0042', occurredAt },
      caller: clinicalSystem,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'do-not-use-ai',
      caseRef: 'case-2025-0042',
      occurredAt,
      subject: subjectOf('instruction', res.body.instructionId),
    });
  });

  it('refuses an instruction naming neither an output nor a case, with a 400 pointing at both fields', async () => {
    const res = await call('POST', '/instructions', {
      body: { instructor: registrar, professionalId: nurse.personId, kind: 'use-ai', occurredAt: at(Date.now(), -1) },
      caller: clinicalSystem,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INSTRUCTION.TARGET_REQUIRED');
    expect(res.body.detail).toContain('outputId');
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/outputId', '/caseRef']);
  });

  it('refuses an instruction about an unknown output (404), another organisation’s output (403), or before the output existed (422)', async () => {
    const instruction = { instructor: registrar, professionalId: nurse.personId, kind: 'use-ai' };
    const unknown = await call('POST', '/instructions', {
      body: { ...instruction, outputId: 'out-never-reported', occurredAt: at(Date.now(), -1) },
      caller: clinicalSystem,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('OUTPUT.NOT_FOUND');

    const output = outputBody(at(Date.now(), -20));
    await call('POST', '/outputs', { body: output, caller: clinicalSystem });
    const foreign = await call('POST', '/instructions', {
      body: { ...instruction, outputId: output.outputId, occurredAt: at(Date.now(), -1) },
      caller: otherTrust,
    });
    expect(foreign.status).toBe(403);
    const early = await call('POST', '/instructions', {
      body: { ...instruction, outputId: output.outputId, occurredAt: at(Date.now(), -30) },
      caller: clinicalSystem,
    });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('OUTPUT.BEFORE_GENERATION');
  });

  it('answers bad input with a 400 naming each field', async () => {
    const res = await call('POST', '/instructions', {
      body: {
        instructor: { personId: 'Dr Smith', role: 'registrar' },
        professionalId: nurse.personId,
        kind: 'obey-ai',
        caseRef: 'c-1',
        occurredAt: 'now',
        actor: clinicalSystem,
      },
      caller: clinicalSystem,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/actor',
      '/instructor/personId',
      '/kind',
      '/occurredAt',
    ]);
  });
});
