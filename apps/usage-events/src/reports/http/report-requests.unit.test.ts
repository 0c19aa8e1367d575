import { IncidentReportedV1, OutputActedOnV1, OutputPresentedV1 } from '@aal/contracts';
import { at, clinicalSystem, nurse, outputBody } from '../../testing/usage.factories';
import { reportFor, type ReportContext } from './report-requests';

const receivedAt = '2025-03-01T12:00:00.000Z';
const ctx: ReportContext = { caller: clinicalSystem, receivedAt, newId: () => 'a7e3c1d2-5b4f-4e6a-9c8d-1f2e3d4c5b6a' };
const occurredAt = at(Date.parse(receivedAt), -5);
const schemaOrder = (definition: { schema: { properties: object } }) => Object.keys(definition.schema.properties);

describe('reportFor: the one mapping from a request body to a command', () => {
  it('gives the command both clocks and takes the organisation and actor from the caller, never the body', () => {
    const { command } = reportFor('output.generated', { ...outputBody(occurredAt), organisationId: 'forged' } as never, ctx);
    expect(command).toMatchObject({
      kind: 'RecordOutput',
      occurredAt,
      receivedAt,
      facts: { organisationId: clinicalSystem.organisationId, actor: clinicalSystem },
    });
    expect(command.facts).not.toHaveProperty('occurredAt');
  });

  it.each([
    ['output.presented', { outputId: 'out-1', professional: nurse, site: 'ward-7', occurredAt }, OutputPresentedV1],
    [
      'output.acted-on',
      {
        outputId: 'out-1',
        professional: nurse,
        action: 'overridden',
        rationale: 'Clinical picture',
        reviewDurationSeconds: 40,
        occurredAt,
      },
      OutputActedOnV1,
    ],
    ['incident.reported', { outputIds: ['out-1'], harmReference: 'LFPSE:W1', severity: 'low', occurredAt }, IncidentReportedV1],
  ] as const)('builds %s facts in the event schema’s field order, whichever route sent the body', (kind, body, definition) => {
    expect(Object.keys(reportFor(kind, body as never, ctx).command.facts)).toEqual(schemaOrder(definition));
  });

  it('sends an instruction naming an output to that output’s aggregate, and one about a case alone to its own', () => {
    const instruction = {
      instructor: { personId: 'psn_registrarMaryS', role: 'registrar' },
      professionalId: nurse.personId,
      kind: 'use',
      occurredAt,
    };
    expect(reportFor('instruction.given', { ...instruction, outputId: 'out-1' } as never, ctx)).toMatchObject({
      aggregate: 'output',
      command: { facts: { outputId: 'out-1' } },
    });
    expect(reportFor('instruction.given', { ...instruction, caseRef: 'psn_caseRefAbcDef' } as never, ctx)).toMatchObject({
      aggregate: 'instruction',
    });
  });
});
