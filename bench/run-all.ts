/**
 * `npm run bench`: runs every bench/*.bench.ts, one after another so they do
 * not compete for the two cores, each as its own tsx process (a benchmark
 * that leaks timers or sockets cannot skew the next one). Prints each
 * script's output as it goes and exits non-zero if any of them failed.
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

interface Outcome {
  file: string;
  exitCode: number;
  seconds: number;
}

function runOne(file: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsxCli, path.join(benchDir, file)], {
      cwd: path.dirname(benchDir),
      stdio: "inherit",
    });
    const finish = (exitCode: number) =>
      resolve({ file, exitCode, seconds: (performance.now() - started) / 1000 });
    child.on("error", (error) => {
      console.error(`could not start ${file}: ${error.message}`);
      finish(1);
    });
    // A benchmark killed by a signal counts as a failure.
    child.on("close", (code) => finish(code ?? 1));
  });
}

async function main(): Promise<number> {
  const files = (await readdir(benchDir)).filter((name) => name.endsWith(".bench.ts")).sort();
  if (files.length === 0) {
    console.log("No benchmarks found (bench/*.bench.ts).");
    return 0;
  }

  const outcomes: Outcome[] = [];
  for (const file of files) {
    console.log(`\n=== ${file} ===`);
    outcomes.push(await runOne(file));
  }

  console.log("\n=== summary ===");
  for (const { file, exitCode, seconds } of outcomes) {
    const verdict = exitCode === 0 ? "ok" : `FAILED (exit ${exitCode})`;
    console.log(`${file.padEnd(40)} ${seconds.toFixed(1).padStart(7)} s  ${verdict}`);
  }
  const failed = outcomes.filter((outcome) => outcome.exitCode !== 0).length;
  console.log(`${outcomes.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
