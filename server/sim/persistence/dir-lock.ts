/**
 * One simulator per data directory: two processes appending to the same
 * journal would interleave their records into nonsense. `LOCK` holds the
 * owner's pid; a lock whose process is gone (killed, crashed) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const LOCK_FILE = "LOCK";
/** Directories this process holds: a second simulator in the same process is refused too. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the directory's lock or throws naming the process that holds it; returns the release. */
export function lockDataDir(dir: string): () => void {
  const file = path.resolve(dir, LOCK_FILE);
  if (held.has(file)) {
    throw new Error(`${dir} is in use by another simulator in this process; close it first`);
  }
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new Error(
        `${dir} is in use by another simulator (pid ${owner}); stop it or use another DATA_DIR`,
      );
    }
    rmSync(file, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not lock ${dir}`);
}
