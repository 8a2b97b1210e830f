import 'reflect-metadata';
import { runServer } from './server';

/** The production entry (`npm run start:prod`): the API on the configured database, without demo data. */
runServer();
