import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ on Linux: /proc reports CPU times in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * The fields of a /proc stat file after the command name "(...)", which may hold spaces: index 0 is
 * proc(5)'s field 3 (state), 1 ppid, ... 11 utime, 12 stime, 13 cutime, 14 cstime.
 */
function statFields(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds (user + system) used so far by a process and its descendants (node:cluster workers,
 * PostgreSQL backends), read from /proc; null where there is none. cutime/cstime count children that
 * ended (backends that closed, autovacuum workers). Load on the machine stretches latency, not this.
 */
export function treeCpuSeconds(rootPid: number): number | null {
  let stats: Array<{ pid: number; ppid: number; ticks: number }>;
  try {
    stats = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .flatMap((d) => {
        try {
          const f = statFields(`/proc/${d}/stat`);
          return [{ pid: Number(d), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) }];
        } catch {
          return []; // the process ended meanwhile
        }
      });
  } catch {
    return null;
  }
  const wanted = new Set([rootPid]);
  for (let grown = true; grown;) {
    grown = false;
    for (const s of stats)
      if (wanted.has(s.ppid) && !wanted.has(s.pid)) {
        wanted.add(s.pid);
        grown = true;
      }
  }
  return stats.filter((s) => wanted.has(s.pid)).reduce((t, s) => t + s.ticks, 0) / TICKS_PER_SECOND;
}

/** CPU seconds of one thread of this process (the main thread's id is the process id); null without /proc. */
export function threadCpuSeconds(threadId: number): number | null {
  try {
    const f = statFields(`/proc/self/task/${threadId}/stat`);
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
