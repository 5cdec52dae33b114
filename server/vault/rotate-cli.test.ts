/**
 * `npm run vault:rotate` end to end: a PGlite data directory with stored
 * credentials, the CLI run as a child process, then the app's view of it.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resetServerConfigForTests } from "@/server/config";
import { createUser } from "@/server/auth/users";
import { setEnvironmentEndpointsForTests } from "@/server/credentials/endpoints";
import {
  addCredential,
  clearCredentialKeyCache,
  loadActiveCredential,
} from "@/server/credentials/store";
import { openDatabase } from "@/server/db/client";
import { resetMasterKeyCache, resolveMasterKey } from "@/server/vault/master-key";
import { VaultError } from "@/server/vault/vault";

const run = promisify(execFile);
const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const cli = path.join(process.cwd(), "server", "vault", "rotate-cli.ts");

describe("npm run vault:rotate", () => {
  const saved = { ...process.env };
  let dataDir: string;
  const oldKey = randomBytes(32).toString("base64");
  const newKey = randomBytes(32).toString("base64");
  const userIds: string[] = [];

  async function withDb<T>(
    fn: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<T>,
  ): Promise<T> {
    const handle = await openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
    try {
      return await fn(handle.db);
    } finally {
      await handle.close();
    }
  }

  function useKey(key: string | undefined): void {
    if (key === undefined) delete process.env.VAULT_KEY;
    else process.env.VAULT_KEY = key;
    resetServerConfigForTests();
    resetMasterKeyCache();
    clearCredentialKeyCache();
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "kalshi-dashboard-rotate-"));
    process.env.DATA_DIR = dataDir;
    setEnvironmentEndpointsForTests({
      sim: {
        restBaseUrl: "http://127.0.0.1:9/trade-api/v2",
        wsUrl: "ws://127.0.0.1:9/trade-api/ws/v2",
      },
      demo: undefined,
      prod: undefined,
    });
    useKey(oldKey);
    await withDb(async (db) => {
      for (const name of ["one", "two"]) {
        const user = await createUser(db, {
          email: `${name}@example.com`,
          password: "a long password",
        });
        userIds.push(user.id);
        await addCredential(db, {
          userId: user.id,
          label: name,
          environment: "sim",
          apiKeyId: `key-${name}`,
          privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
        });
      }
    });
  });

  afterAll(() => {
    process.env = { ...saved };
    resetServerConfigForTests();
    resetMasterKeyCache();
    setEnvironmentEndpointsForTests();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...process.env,
    DATA_DIR: dataDir,
    NODE_ENV: "development",
    ...extra,
  });

  it("refuses a wrong current key and changes nothing", async () => {
    const failed = await run(tsx, [cli], {
      env: env({ VAULT_KEY: randomBytes(32).toString("base64"), VAULT_KEY_NEW: newKey }),
    }).catch((error: { code: number; stderr: string; stdout: string }) => error);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/nothing changed/);
    expect((failed as { stderr: string }).stderr).not.toContain(newKey);
  });

  it("re-wraps every credential; the new key opens them all and the old key is refused", async () => {
    const { stdout, stderr } = await run(tsx, [cli], {
      env: env({ VAULT_KEY: oldKey, VAULT_KEY_NEW: newKey }),
    });
    const report = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
    expect(report).toMatchObject({ what: "rotated", fromVersion: 1, toVersion: 2, rewrapped: 2 });
    expect(stdout + stderr).not.toContain(oldKey);
    expect(stdout + stderr).not.toContain(newKey);

    useKey(newKey);
    await withDb(async (db) => {
      for (const userId of userIds)
        expect((await loadActiveCredential(db, userId))?.privateKey.asymmetricKeyType).toBe("rsa");
      const error = await resolveMasterKey(db, Buffer.from(oldKey, "base64")).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VaultError);
    });
  });

  it("reads the new key from --new-key-file and follows a development key file", async () => {
    // Development: no VAULT_KEY, the current key lives in DATA_DIR/vault.key.
    const keyFile = path.join(dataDir, "vault.key");
    writeFileSync(keyFile, `${newKey}\n`, { mode: 0o600 });
    const third = randomBytes(32).toString("base64");
    const newKeyFile = path.join(dataDir, "next.key");
    writeFileSync(newKeyFile, third, { mode: 0o600 });
    const childEnv = env({});
    delete childEnv.VAULT_KEY;
    delete childEnv.VAULT_KEY_NEW;
    await run(tsx, [cli, "--new-key-file", newKeyFile], { env: childEnv });
    expect(readFileSync(keyFile, "utf8").trim()).toBe(third);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    useKey(undefined);
    await withDb(async (db) => {
      for (const userId of userIds)
        expect((await loadActiveCredential(db, userId))?.apiKeyId).toMatch(/^key-/);
    });
  });
});
