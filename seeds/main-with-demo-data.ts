import 'reflect-metadata';
import { runServer } from '../src/server';

/**
 * `npm start`: the API as in production, plus the demo carriers seeded into an empty database
 * (SEED_PROVIDERS providers; 0 turns seeding off) so the README's first queries answer at once.
 */
runServer(async (databaseUrl, config, log) => {
  if (config.seedProviders === 0) return;
  const { seedDemoDataIfEmpty } = await import('./seed-database');
  await seedDemoDataIfEmpty(databaseUrl, config.seedProviders, log);
});
