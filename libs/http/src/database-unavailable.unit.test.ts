import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a server shutting down (57P01 admin_shutdown)', withCode('57P01', 'terminating connection due to administrator command')],
    ['a server starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['TypeORM wrapping a terminated connection', Object.assign(new Error('Query failed'), { driverError: withCode('57P01') })],
    ["Node's AggregateError of IPv4 and IPv6 refusals", new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], '')],
    ['an error caused by a refused connection', new Error('outer', { cause: withCode('ECONNREFUSED') })],
  ])('given %s, says unavailable', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505', 'duplicate key value')],
    ['a serialisation failure (40001)', withCode('40001')],
    ['a syntax error (42601)', withCode('42601')],
    ['a plain error', new Error('something else')],
    ['a value that is not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('given %s, says not', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('terminates on an error that causes itself', () => {
    const looped = new Error('loop') as Error & { cause?: unknown };
    looped.cause = looped;
    expect(isDatabaseUnavailable(looped)).toBe(false);
  });
});
