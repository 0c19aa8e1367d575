import type { CloudEvent } from '@aal/contracts';
import { factFromEvent, type Fact } from '../fact';

/** A valid catalogue event as the fact at `seq`, recorded at `recordedAt`; throws on an invalid event (a broken test). For tests. */
export function asFact(event: CloudEvent<unknown>, seq: number, recordedAt: string): Fact {
  const decoded = factFromEvent(event, seq, recordedAt);
  if (!decoded.ok)
    throw new Error(`test event ${event.type} at ${seq} is invalid: ${decoded.issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}`);
  return decoded.fact;
}
