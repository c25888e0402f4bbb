// Process CPU time from Linux /proc, for the benchmarks that report CPU per unit of work.
import { readFileSync } from "node:fs";

/** The fields of /proc/<pid>[/task/<tid>]/stat after the command name, which may hold spaces. */
export function statFields(path: string): string[] {
  const stat = readFileSync(path, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** User + system CPU seconds a process has used so far, all its threads (USER_HZ = 100). */
export function processCpuSeconds(pid: number | undefined): number {
  const fields = statFields(`/proc/${pid}/stat`);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** User + system CPU seconds one thread of a process has used so far (/proc/<pid>/task/<tid>). */
export function threadCpuSeconds(pid: number | undefined, tid: number): number {
  const fields = statFields(`/proc/${pid}/task/${tid}/stat`);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
