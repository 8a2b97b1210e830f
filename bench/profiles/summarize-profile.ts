/**
 * Where a V8 CPU profile (`node --cpu-prof`, e.g. `npm run bench:query -- --profile DIR`) spends its time:
 * top functions by self time and by inclusive time, and self time per package.
 *
 *   npx ts-node --transpile-only bench/profiles/summarize-profile.ts FILE.cpuprofile [--top 30] [--from-first PATTERN] [--skip-seconds S]
 *
 * --from-first PATTERN: ignore the samples before the first one whose stack has a frame whose URL or
 * function name contains PATTERN (default `@apollo/server`: start-up and compilation are left out, so the
 * figures describe serving requests). `--from-first ''` keeps every sample.
 * --skip-seconds S: also leave out the first S seconds of that window (modules ts-node compiles on first use,
 * warm-up), so what remains is the steady state.
 * Shares are of the non-idle time in that window (idle, GC and "(program)" are listed apart).
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function parseArgs(argv: string[]): { file: string; top: number; fromFirst: string; skipSeconds: number } {
  let file = '';
  let top = 30;
  let fromFirst = '@apollo/server';
  let skipSeconds = 0;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else if (argv[i] === '--from-first') fromFirst = argv[++i] ?? '';
    else if (argv[i] === '--skip-seconds') skipSeconds = Number(argv[++i]);
    else file = argv[i];
  }
  if (!file) throw new Error('usage: summarize-profile.ts FILE.cpuprofile [--top N] [--from-first PATTERN]');
  return { file, top, fromFirst, skipSeconds };
}

/** `node_modules/@scope/name` or `node_modules/name` of a script URL; `app` for the project's own code, `node` for built-ins. */
function packageOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node';
  const at = url.lastIndexOf('node_modules/');
  if (at < 0) return url.includes('/src/') ? 'app (src)' : url.includes('/bench/') ? 'bench' : url;
  const rest = url.slice(at + 'node_modules/'.length).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

function label(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const at = url.lastIndexOf('node_modules/');
  const short = at >= 0 ? url.slice(at + 'node_modules/'.length) : url.replace(/^.*?\/(src|bench|test)\//, '$1/');
  return `${frame.functionName || '(anonymous)'} ${short ? `${short}:${frame.lineNumber + 1}` : ''}`.trim();
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

function main(): void {
  const { file, top, fromFirst, skipSeconds } = parseArgs(process.argv.slice(2));
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackOf = (id: number): ProfileNode[] => {
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
    return stack;
  };

  // Which sample starts the window.
  let first = 0;
  if (fromFirst) {
    const matches = new Map<number, boolean>();
    const hit = (id: number): boolean => {
      let known = matches.get(id);
      if (known === undefined) {
        known = stackOf(id).some((n) => n.callFrame.url.includes(fromFirst) || n.callFrame.functionName.includes(fromFirst));
        matches.set(id, known);
      }
      return known;
    };
    first = profile.samples.findIndex(hit);
    if (first < 0) throw new Error(`no sample has "${fromFirst}" on its stack`);
  }
  for (let skipped = 0; first < profile.samples.length - 1 && skipped < skipSeconds * 1e6;) skipped += profile.timeDeltas[++first] ?? 0;

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  const special = new Map<string, number>();
  let busy = 0;
  let windowMicros = 0;
  for (let i = first; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the sample stands for the interval after it.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    windowMicros += micros;
    const node = byId.get(profile.samples[i])!;
    const name = node.callFrame.functionName;
    if (SPECIAL.has(name)) {
      special.set(name, (special.get(name) ?? 0) + micros);
      if (name !== '(idle)') busy += micros;
      continue;
    }
    busy += micros;
    const own = label(node.callFrame);
    self.set(own, (self.get(own) ?? 0) + micros);
    const pkg = packageOf(node.callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
    const seen = new Set<string>();
    for (const frame of stackOf(node.id)) {
      if (SPECIAL.has(frame.callFrame.functionName)) continue;
      const key = label(frame.callFrame);
      if (seen.has(key)) continue; // recursion counts once
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
    }
  }

  const pct = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`;
  const ms = (micros: number) => `${(micros / 1000).toFixed(0).padStart(7)} ms`;
  const print = (title: string, map: Map<string, number>, n: number) => {
    console.log(`\n${title}`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${ms(micros)} ${pct(micros)}  ${key}`);
  };
  console.log(
    `${file}: window ${(windowMicros / 1e6).toFixed(1)} s from sample ${first} of ${profile.samples.length}; busy ${(busy / 1e6).toFixed(1)} s ` +
      `(${[...special].map(([k, v]) => `${k} ${(v / 1e6).toFixed(1)} s`).join(', ')}); shares below are of busy time`,
  );
  print('self time by package', packages, 40);
  print(`top ${top} functions by self time`, self, top);
  print(`top ${top} functions by inclusive time`, inclusive, top);
}

main();
