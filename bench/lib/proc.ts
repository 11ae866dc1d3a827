/**
 * Resident memory and CPU time of processes, from /proc (Linux). Parsing is pure and tested; the
 * readers return 0 / [] for a process that is gone.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of a /proc/<pid>/status text, in KiB (0 when absent, e.g. a zombie). */
export function parseVmRssKb(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : 0;
}

/** Pss of a /proc/<pid>/smaps_rollup text, in KiB: shared pages divided among their users. */
export function parsePssKb(smapsRollup: string): number {
  const m = /^Pss:\s+(\d+)\s+kB/m.exec(smapsRollup);
  return m ? Number(m[1]) : 0;
}

/**
 * Parent pid and CPU ticks (utime + stime) of a /proc/<pid>/stat line. The command name (field 2)
 * may contain spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseStat(stat: string): { ppid: number; cpuTicks: number } {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export const rssKb = (pid: number): number => parseVmRssKb(read(`/proc/${pid}/status`));
export const pssKb = (pid: number): number => parsePssKb(read(`/proc/${pid}/smaps_rollup`));

export function cpuTicks(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  return stat ? parseStat(stat).cpuTicks : 0;
}

/** `root` and every process below it (Postgres: the postmaster and its backends and workers). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    const { ppid } = parseStat(stat);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Clock ticks per second of /proc CPU times (USER_HZ; 100 on every Linux build we run on). */
export const TICKS_PER_SECOND = 100;
