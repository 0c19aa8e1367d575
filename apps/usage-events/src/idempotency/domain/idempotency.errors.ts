import { DomainError } from '@aal/domain';

export const idempotencyErrors = {
  keyReused: (key: string) =>
    new DomainError(
      'IDEMPOTENCY.KEY_REUSED',
      'rule-violated',
      `Idempotency-Key ${key} was already used for a different request (method, path or body differ); use a new key for a new request`,
      { idempotencyKey: key },
    ),
  inProgress: (key: string) =>
    new DomainError(
      'IDEMPOTENCY.IN_PROGRESS',
      'conflict',
      `a request with Idempotency-Key ${key} is still being processed; retry once it has finished to receive its response`,
      { idempotencyKey: key },
    ),
};
