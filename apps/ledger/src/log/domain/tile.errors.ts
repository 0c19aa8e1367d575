import { DomainError } from '@aal/domain';

export const tileErrors = {
  badPath: (path: string, reason: string) =>
    new DomainError('TILE.BAD_PATH', 'invalid', `${path} is not a C2SP tlog-tiles path: ${reason}`, { path }),
  notFound: (path: string, logSize: number) =>
    new DomainError(
      'TILE.NOT_FOUND',
      'not-found',
      `${path} reaches beyond the log, which holds ${logSize} entries; a tile exists only once all its hashes do`,
      { path, logSize },
    ),
  entryTooLarge: (path: string, seq: number, bytes: number) =>
    new DomainError(
      'TILE.ENTRY_TOO_LARGE',
      'rule-violated',
      `entry ${seq} is ${bytes} bytes, more than an entry bundle can frame (65,535); read it from GET /entries/${seq}, whose leaf hash is in tile level 0`,
      { path, seq, bytes },
    ),
};
