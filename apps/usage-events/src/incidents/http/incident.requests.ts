import { Id, IncidentReportedV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';
import { Occurrence, strict } from '../../usage/http/usage.requests';

export const ReportIncidentRequest = Type.Composite(
  [Type.Pick(IncidentReportedV1.schema, ['outputIds', 'harmReference', 'severity']), Occurrence],
  strict,
);

export const IncidentIdParam = Id;
