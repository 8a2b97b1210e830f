/**
 * The Node flags `npm run start:prod` runs the API with (its script in package.json, before the entry
 * file): the API serves queries and runs import and fetch jobs with them, so benchmarks run theirs so too.
 */
export const PRODUCTION_NODE_FLAGS: string[] = (() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script: string = require('../../package.json').scripts['start:prod'];
  return script.split(/\s+/).filter((word) => word.startsWith('--'));
})();
