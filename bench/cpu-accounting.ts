import { readdirSync, readFileSync } from 'node:fs';

// Where a bench's core-seconds go: CPU time of named processes from /proc (Linux), and a V8 CPU
// profile (`--cpu-prof`) summarised by function group. Bench support only; nothing here is timed
// by a test.

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used, or 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds the whole machine spent busy (every core, everything but idle and iowait). */
export function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS;
}

/** Pids whose command line contains `needle` (e.g. the Kafka broker's main class). */
export function pidsByCommandLine(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(needle)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU seconds of groups of processes between `start()` and `stop()`; a process counts only if alive at both. */
export function cpuMeter(groups: Record<string, readonly number[]>) {
  const read = () =>
    new Map(
      Object.values(groups)
        .flat()
        .map((pid) => [pid, processCpuSeconds(pid)]),
    );
  let before = new Map<number, number>();
  let machineBefore = 0;
  return {
    start: () => {
      before = read();
      machineBefore = machineBusySeconds();
    },
    /** Core-seconds per group (and `machine`) used since `start()`. */
    stop: (): Record<string, number> => {
      const machine = machineBusySeconds() - machineBefore;
      const after = read();
      const used = (pid: number) => (before.get(pid)! > 0 && after.get(pid)! > 0 ? after.get(pid)! - before.get(pid)! : 0);
      return {
        machine,
        ...Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + used(pid), 0)])),
      };
    },
  };
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * Self time of a `.cpuprofile` by function group, largest first, in seconds: project code by file
 * (`libs/ledger-core/event-signature`), packages by name (`kafkajs`), Node's own modules by module
 * (`node:internal/crypto/sig`), and V8's pseudo-frames (`(garbage collector)`, `(program)`, `(idle)`).
 */
export function profileByGroup(file: string): Array<[string, number]> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const groupOf = new Map(profile.nodes.map((n) => [n.id, groupOfFrame(n.callFrame)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const group = groupOf.get(id) ?? '?';
    totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1e6);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function groupOfFrame({ functionName, url }: { functionName: string; url: string }): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!;
  }
  const project = /\/dist\/((?:libs|apps)\/[^/]+)\/src\/(.+)\.js$/.exec(url);
  if (project) return `${project[1]}/${project[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}
