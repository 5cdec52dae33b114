/**
 * Proves the container image without a container engine (CI has none).
 *
 *   npm run build && npx tsx .ci/container-smoke.ts
 *
 * 1. Lints the Dockerfile: every install is `npm ci`, the runtime stage runs
 *    as a non-root USER on a slim Node base, has a HEALTHCHECK, and CMD is in
 *    exec form (so SIGTERM reaches node, not a shell).
 * 2. Assembles exactly what the final stage copies into a temporary
 *    directory (its WORKDIR): `COPY --from=<stage>` from what that stage
 *    produces here (the build's `.next` without its cache; production
 *    dependencies installed with the stage's own `npm ci` command), plain
 *    `COPY` from the build context minus .dockerignore.
 * 3. Starts the image's CMD there with only the environment the image sets
 *    (ENV lines) plus the secrets an operator passes (AUTH_SECRET, VAULT_KEY),
 *    PATH, and DATA_DIR/PORT pointed at a temp dir and a free port.
 * 4. Runs the HEALTHCHECK command, then the Playwright smoke
 *    (e2e/container/smoke.spec.ts: sign up, simulator account, open a market,
 *    place and cancel an order) against it, then sends SIGTERM and checks the
 *    process exits within the grace period.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STOP_GRACE_MS = 15_000;

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Dockerfile → stages of instructions (continuations joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const op = match[1]!.toUpperCase();
    const rest = match[2]!.replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? "");
    if (op === "ARG") {
      const [name, value] = rest.split("=", 2);
      if (name && value !== undefined) args.set(name.trim(), value.trim());
    } else if (op === "FROM") {
      const [base, , name] = rest.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), base: base ?? "", instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op, args: rest });
    }
  }
  return stages;
}

function fail(message: string): never {
  console.error(`container smoke: ${message}`);
  process.exit(1);
}

function lint(stages: Stage[]): void {
  const problems: string[] = [];
  const runtime = stages.at(-1);
  if (!runtime) fail("the Dockerfile has no stage");
  for (const stage of stages) {
    for (const { op, args } of stage.instructions) {
      if (op === "RUN" && /\bnpm (install|i)\b/.test(args))
        problems.push(`stage ${stage.name}: use npm ci, not npm install (${args})`);
      if (op === "ADD" && /https?:\/\//.test(args))
        problems.push(`stage ${stage.name}: ADD from a URL`);
    }
  }
  if (!/^node:[\w.-]*slim$/.test(runtime.base))
    problems.push(`runtime base ${runtime.base} is not a slim Node image`);
  const users = runtime.instructions.filter((i) => i.op === "USER").map((i) => i.args.trim());
  const user = users.at(-1);
  if (!user || user === "root" || user === "0" || user.startsWith("0:"))
    problems.push("the runtime stage must switch to a non-root USER");
  if (!runtime.instructions.some((i) => i.op === "HEALTHCHECK" && !/NONE/i.test(i.args)))
    problems.push("the runtime stage has no HEALTHCHECK");
  const cmd = runtime.instructions.filter((i) => i.op === "CMD").at(-1);
  if (!cmd || !cmd.args.trim().startsWith("["))
    problems.push("CMD must be in exec form so SIGTERM reaches the server");
  if (problems.length > 0) fail(`Dockerfile lint:\n  ${problems.join("\n  ")}`);
  console.log(
    `Dockerfile lint: ok (${stages.length} stages; runtime as ${user} on ${runtime.base})`,
  );
}

/** .dockerignore patterns (top-level names and simple globs, as ours uses). */
function ignored(patterns: string[], relative: string): boolean {
  const first = relative.split(path.sep)[0] ?? relative;
  return patterns.some((pattern) => {
    const regex = new RegExp(
      `^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`,
    );
    return regex.test(first) || regex.test(relative);
  });
}

function copyFromContext(sources: string[], dest: string, workdir: string, ignore: string[]): void {
  const target = path.resolve(workdir, dest);
  for (const source of sources) {
    const from = path.join(root, source);
    if (!existsSync(from)) fail(`COPY source ${source} does not exist`);
    const to =
      sources.length > 1 || dest.endsWith("/") ? path.join(target, path.basename(source)) : target;
    cpSync(from, to, {
      recursive: true,
      filter: (file) => !ignored(ignore, path.relative(root, file)),
    });
  }
}

/** What a `COPY --from=<stage>` source is here, producing it if needed. */
function produceFromStage(stage: Stage, source: string, scratch: string): string {
  // A stage may inherit its WORKDIR from the stage it is built FROM, so match on the name.
  const relative = path.basename(source);
  if (relative === "node_modules") {
    const install = stage.instructions.find((i) => i.op === "RUN" && /npm ci/.test(i.args));
    if (!install) fail(`stage ${stage.name} does not install node_modules with npm ci`);
    const dir = path.join(scratch, `stage-${stage.name}`);
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(root, "package.json"), path.join(dir, "package.json"));
    cpSync(path.join(root, "package-lock.json"), path.join(dir, "package-lock.json"));
    console.log(`stage ${stage.name}: ${install.args}`);
    execFileSync("sh", ["-c", install.args], { cwd: dir, stdio: "inherit" });
    return path.join(dir, "node_modules");
  }
  if (relative === ".next") {
    const built = path.join(root, ".next");
    if (!existsSync(path.join(built, "BUILD_ID")))
      fail("no production build: run `npm run build` first");
    return built;
  }
  fail(`don't know how stage ${stage.name} produces ${source}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args.trim());
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === "string"))
    fail(`not an exec-form command: ${args}`);
  return parsed as string[];
}

const stages = parseDockerfile(readFileSync(path.join(root, "Dockerfile"), "utf8"));
lint(stages);
const runtime = stages.at(-1)!;
const ignore = readFileSync(path.join(root, ".dockerignore"), "utf8")
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

const scratch = mkdtempSync(path.join(tmpdir(), "container-smoke-"));
const workdir = path.join(scratch, "app");
const dataDir = path.join(scratch, "data");
mkdirSync(workdir, { recursive: true });
mkdirSync(dataDir, { recursive: true });

const env: Record<string, string> = {};
for (const { op, args } of runtime.instructions) {
  if (op === "ENV") {
    for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env[match[1]!] = match[2]!.replace(/^"|"$/g, "");
    }
  } else if (op === "COPY") {
    const parts = args.split(/\s+/).filter((part) => !part.startsWith("--chown"));
    const fromFlag = parts.find((part) => part.startsWith("--from="));
    const paths = parts.filter((part) => !part.startsWith("--"));
    const dest = paths.pop();
    if (!dest) fail(`COPY without a destination: ${args}`);
    if (fromFlag) {
      const stage = stages.find((s) => s.name === fromFlag.slice("--from=".length));
      if (!stage) fail(`COPY from unknown stage: ${args}`);
      for (const source of paths) {
        cpSync(produceFromStage(stage, source, scratch), path.resolve(workdir, dest), {
          recursive: true,
          // The build stage removes its cache before the runtime copies .next.
          filter: (file) => !file.includes(`${path.sep}.next${path.sep}cache`),
        });
      }
    } else {
      copyFromContext(paths, dest, workdir, ignore);
    }
  }
}
console.log(`assembled the runtime stage in ${workdir}`);

const port = await freePort();
const runEnv: Record<string, string> = {
  ...env,
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: scratch,
  // The image's /data volume and port 3000, moved to a temp dir and a free port.
  DATA_DIR: dataDir,
  PORT: String(port),
  AUTH_SECRET: randomBytes(32).toString("base64"),
  VAULT_KEY: randomBytes(32).toString("base64"),
};
const [command, ...commandArgs] = execForm(
  runtime.instructions.filter((i) => i.op === "CMD").at(-1)!.args,
);
console.log(`starting: ${command} ${commandArgs.join(" ")} (env: ${Object.keys(env).join(", ")})`);
const server = spawn(command!, commandArgs, {
  cwd: workdir,
  env: runEnv,
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
const exited = new Promise<number | null>((resolve) =>
  server.once("exit", (code) => resolve(code)),
);

let status = 1;
try {
  const deadline = Date.now() + 180_000;
  while (!output.includes('"msg":"ready"')) {
    if (Date.now() > deadline)
      fail(`the server did not start within 180 s:\n${output.slice(-3000)}`);
    if (server.exitCode !== null)
      fail(`the server exited with ${server.exitCode}:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const base = `http://127.0.0.1:${port}`;
  console.log(`ready on ${base}`);

  const healthcheck = runtime.instructions.find((i) => i.op === "HEALTHCHECK")!;
  const check = execForm(healthcheck.args.slice(healthcheck.args.indexOf("CMD") + 3));
  const health = spawnSync(check[0]!, check.slice(1), {
    cwd: workdir,
    env: runEnv,
    timeout: 30_000,
  });
  if (health.status !== 0) fail(`HEALTHCHECK failed (exit ${health.status})`);
  console.log("HEALTHCHECK: ok");

  const smoke = spawnSync("npx", ["playwright", "test", "-c", "playwright.container.config.ts"], {
    cwd: root,
    env: { ...process.env, CONTAINER_BASE_URL: base },
    stdio: "inherit",
  });
  if (smoke.status !== 0) fail("the Playwright smoke failed against the assembled image");

  const stopStarted = Date.now();
  server.kill("SIGTERM");
  const code = await Promise.race([
    exited,
    new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), STOP_GRACE_MS)),
  ]);
  if (code === "timeout") fail(`SIGTERM: still running after ${STOP_GRACE_MS / 1000} s`);
  console.log(`SIGTERM: exited with ${code} after ${Date.now() - stopStarted} ms`);
  status = code === 0 ? 0 : 1;
} finally {
  if (server.exitCode === null) server.kill("SIGKILL");
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
