import { DomainError } from '@aal/domain';
import { HttpProblem, RequestValidationError } from '@aal/http';
import { at, nurse, outputBody } from '../../testing/usage.factories';
import { MAX_BATCH_ITEMS, parseBatch, refusalErrors } from './batch.request';

const problemOf = (f: () => unknown): HttpProblem => {
  try {
    f();
  } catch (err) {
    if (err instanceof HttpProblem) return err;
    throw err;
  }
  throw new Error('expected an HttpProblem');
};

describe('parseBatch', () => {
  const generated = { kind: 'output.generated', body: outputBody(at(Date.UTC(2025, 0, 1))) };

  it('accepts items whose bodies match their kinds', () => {
    expect(parseBatch({ items: [generated] })).toEqual([generated]);
  });

  it(`refuses more than ${MAX_BATCH_ITEMS} items with 413 BATCH.TOO_LARGE before reading any item`, () => {
    const problem = problemOf(() => parseBatch({ items: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => 'not even an item') }));
    expect(problem).toMatchObject({ status: 413, code: 'BATCH.TOO_LARGE', extensions: { maxItems: 5000, items: 5001 } });
  });

  it('refuses a malformed envelope as an invalid request', () => {
    expect(() => parseBatch({ items: [], extra: true })).toThrow(RequestValidationError);
    expect(() => parseBatch([generated])).toThrow(RequestValidationError);
  });

  it('lists every failing item with a pointer into it', () => {
    const problem = problemOf(() =>
      parseBatch({
        items: [
          generated,
          { kind: 'output.presented', body: { professional: nurse, site: 'ward-7', occurredAt: 'yesterday' } },
          null,
          { kind: 'output.unknown', body: {} },
        ],
      }),
    );
    expect(problem).toMatchObject({ status: 400, code: 'BATCH.REJECTED' });
    expect((problem.extensions['errors'] as Array<{ index: number; pointer: string }>).map((e) => [e.index, e.pointer])).toEqual([
      [1, '/items/1/body/outputId'],
      [1, '/items/1/body/occurredAt'],
      [2, '/items/2'],
      [3, '/items/3/kind'],
    ]);
  });
});

describe('parseBatch: patient-identifying members', () => {
  it('refuses a date of birth, an age and an NHS number at their pointers, saying why and what to send instead, without echoing them', () => {
    const body = {
      ...outputBody(at(Date.UTC(2025, 0, 1))),
      nhsNumber: '9434765919',
      population: { ageBand: '65-79', dateOfBirth: '1950-02-03', age: 75 },
    };
    const problem = problemOf(() => parseBatch({ items: [{ kind: 'output.generated', body }] }));
    const errors = problem.extensions['errors'] as Array<{ pointer: string; rule: string; detail: string }>;
    expect(errors.map((e) => e.pointer).sort()).toEqual([
      '/items/0/body/nhsNumber',
      '/items/0/body/population/age',
      '/items/0/body/population/dateOfBirth',
    ]);
    expect(errors.find((e) => e.pointer.endsWith('/dateOfBirth'))?.detail).toContain('send population.ageBand');
    expect(errors.find((e) => e.pointer.endsWith('/nhsNumber'))?.detail).toContain('subjectRef, a pseudonym');
    expect(JSON.stringify(errors)).not.toMatch(/9434765919|1950-02-03/);
  });
});

describe('refusalErrors', () => {
  it("prefixes a refusal's own pointers with its item's body, or points at the body when it has none", () => {
    const located = new DomainError('OUTPUT.RATIONALE_REQUIRED', 'rule-violated', 'a rationale is required', {
      errors: [{ pointer: '/rationale', rule: 'required', detail: '' }],
    });
    const unlocated = new DomainError('OUTPUT.NOT_FOUND', 'not-found', 'output x has not been recorded');
    expect(
      refusalErrors([
        { index: 4, error: located },
        { index: 7, error: unlocated },
      ]),
    ).toEqual([
      {
        index: 4,
        pointer: '/items/4/body/rationale',
        code: 'OUTPUT.RATIONALE_REQUIRED',
        rule: 'required',
        detail: 'a rationale is required',
      },
      { index: 7, pointer: '/items/7/body', code: 'OUTPUT.NOT_FOUND', rule: 'not-found', detail: 'output x has not been recorded' },
    ]);
  });
});
