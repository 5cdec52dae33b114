/**
 * A fixed CPU share for a process, for benchmarks that compare one server
 * instance with two on a machine too small to give each its own cores: with
 * each instance held to the same share (say half a core), "two serve twice
 * what one does" becomes a question about our design (a shared lock, a
 * single leader doing everyone's work, Redis round trips) rather than about
 * how many idle cores the box happens to have left after the load generator
 * and the simulator. Linux control groups, v2 (`cpu.max`) or v1
 * (`cpu.cfs_quota_us`), writable only as root; null where they are not, and
 * the caller says so.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * 10 ms: the quota is enforced per period, so with the default 100 ms a
 * half-core instance would run 50 ms and then stall 50 ms, and latency would
 * measure the stalls. A short period spreads the same share evenly.
 */
const PERIOD_US = 10_000;

export interface CpuQuota {
  /** Where the group lives, for the report. */
  readonly group: string;
  /** Removes the group (its processes must have exited). */
  remove(): void;
}

/** Puts `pid` (all its threads, and children it starts later) in a new group limited to `cores` CPUs. */
export function limitCpu(pid: number, cores: number, name: string): CpuQuota | null {
  const quota = String(Math.max(1_000, Math.round(cores * PERIOD_US)));
  for (const attempt of [v2, v1]) {
    try {
      const group = attempt(name, quota);
      if (!group) continue;
      writeFileSync(path.join(group, "cgroup.procs"), String(pid));
      return {
        group,
        remove: () => {
          try {
            rmdirSync(group);
          } catch {
            // still busy (a process that has not exited yet): left for the OS to clean up
          }
        },
      };
    } catch {
      // not writable here: try the other hierarchy
    }
  }
  return null;
}

/** cgroup v2: a child of the root with the cpu controller enabled. */
function v2(name: string, quota: string): string | null {
  const root = ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"].find(
    (dir) =>
      existsSync(path.join(dir, "cgroup.subtree_control")) &&
      readFileSync(path.join(dir, "cgroup.controllers"), "utf8").split(/\s+/).includes("cpu"),
  );
  if (!root) return null;
  writeFileSync(path.join(root, "cgroup.subtree_control"), "+cpu");
  const group = path.join(root, name);
  mkdirSync(group, { recursive: true });
  writeFileSync(path.join(group, "cpu.max"), `${quota} ${PERIOD_US}`);
  return group;
}

/** cgroup v1: a group under the cpu hierarchy with a CFS quota. */
function v1(name: string, quota: string): string | null {
  const root = "/sys/fs/cgroup/cpu";
  if (!existsSync(path.join(root, "cgroup.procs"))) return null;
  const group = path.join(root, name);
  mkdirSync(group, { recursive: true });
  writeFileSync(path.join(group, "cpu.cfs_period_us"), String(PERIOD_US));
  writeFileSync(path.join(group, "cpu.cfs_quota_us"), quota);
  return group;
}
