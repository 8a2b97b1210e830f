import { DataSource } from 'typeorm';

export interface SentStatement {
  sql: string;
  parameters: unknown[];
}

/** Records every statement TypeORM sends (on any pool: all go through DataSource.logger.logQuery). */
export function captureStatements(db: DataSource, into: SentStatement[]): void {
  const original = db.logger;
  (db as { logger: DataSource['logger'] }).logger = new Proxy(original, {
    get(target, property, receiver) {
      if (property === 'logQuery') {
        return (query: string, parameters?: unknown[], runner?: unknown) => {
          into.push({ sql: query, parameters: parameters ?? [] });
          return target.logQuery(query, parameters, runner as never);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
