import type { DataSourceOptions } from 'typeorm';
import { urlForRole, type DatabaseSettings } from './database-settings';
import type { ServiceSchema } from './service-schema';

/**
 * TypeORM options for a running service: its login role, its schema first on the search path,
 * never `synchronize` (schema changes are migrations, run by the owner role).
 */
export function appDataSourceOptions(
  settings: DatabaseSettings,
  service: ServiceSchema,
  entities: DataSourceOptions['entities'] = [],
  poolSize = 10,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: urlForRole(settings.adminUrl, service.appRole, settings.appPassword),
    schema: service.schema,
    entities,
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as exceptions that our code logs with context; TypeORM's own error
    // log would print every parameter of a failed statement (event payloads included).
    logging: false,
    extra: { max: poolSize, options: `-c search_path=${service.schema}` },
  };
}
