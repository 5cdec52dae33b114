/**
 * Integration: accounts, credential storage and vault rotation against a real
 * database — PGlite always, Postgres when TEST_DATABASE_URL is set.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  authenticateUser,
  createUser,
  findOrCreateOAuthUser,
  verifyUserPassword,
} from "@/server/auth/users";
import { setEnvironmentEndpointsForTests } from "@/server/credentials/endpoints";
import {
  activateCredential,
  addCredential,
  clearCredentialKeyCache,
  deleteCredential,
  listCredentials,
  loadActiveCredential,
} from "@/server/credentials/store";
import {
  createTestDatabase,
  TEST_DIALECTS,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { credentials, userSettings, users, vaultKeys } from "@/server/db/schema";
import { AppError } from "@/server/http/app-error";
import { getMasterKey, resetMasterKeyCache, resolveMasterKey } from "@/server/vault/master-key";
import { rotateVaultKey } from "@/server/vault/rotate";
import { VaultError } from "@/server/vault/vault";

const endpoints = {
  sim: {
    restBaseUrl: "http://127.0.0.1:9/trade-api/v2",
    wsUrl: "ws://127.0.0.1:9/trade-api/ws/v2",
  },
  demo: undefined,
  prod: undefined,
};

function rsaKey() {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

for (const { dialect, skip } of TEST_DIALECTS) {
  describe.skipIf(skip)(`database on ${dialect}${skip ? ` (skipped: ${skip})` : ""}`, () => {
    let database: TestDatabase;
    let secrets: TestSecrets;

    beforeAll(async () => {
      secrets = await useTestSecrets();
      setEnvironmentEndpointsForTests(endpoints);
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      setEnvironmentEndpointsForTests();
      await database?.destroy();
      await secrets?.restore();
    });

    describe("accounts", () => {
      it("signs up, refuses a duplicate email (any case), and signs in only with the right password", async () => {
        const { db } = database;
        const user = await createUser(db, {
          email: "trader@example.com",
          password: "long enough pw",
        });
        const duplicate = await rejection(
          createUser(db, { email: "Trader@Example.com", password: "another password" }),
        );
        expect(duplicate).toBeInstanceOf(AppError);
        expect((duplicate as AppError).code).toBe("email_taken");
        expect((duplicate as AppError).field).toBe("email");
        expect(
          await authenticateUser(db, { email: "trader@example.com", password: "long enough pw" }),
        ).toEqual(user);
        expect(
          await authenticateUser(db, { email: "trader@example.com", password: "long enough px" }),
        ).toBeNull();
        expect(
          await authenticateUser(db, { email: "nobody@example.com", password: "long enough pw" }),
        ).toBeNull();
        expect(await verifyUserPassword(db, user.id, "long enough pw")).toBe(true);
        expect(await verifyUserPassword(db, user.id, "nope")).toBe(false);
        const [row] = await db.select().from(users).where(eq(users.id, user.id));
        expect(row?.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
        expect(row?.passwordHash).not.toContain("long enough pw");
      });

      it("never links an OAuth login to an existing password account", async () => {
        const { db } = database;
        await createUser(db, { email: "pw@example.com", password: "long enough pw" });
        expect(await findOrCreateOAuthUser(db, "PW@example.com")).toBeNull();
        const oauth = await findOrCreateOAuthUser(db, "gh@example.com");
        expect(oauth?.email).toBe("gh@example.com");
        expect(await findOrCreateOAuthUser(db, "gh@example.com")).toEqual(oauth);
        expect(
          await authenticateUser(db, { email: "gh@example.com", password: "anything at all" }),
        ).toBeNull();
      });
    });

    describe("credentials", () => {
      let alice: string;
      let bob: string;
      beforeAll(async () => {
        alice = (
          await createUser(database.db, { email: "alice@example.com", password: "alice password" })
        ).id;
        bob = (
          await createUser(database.db, { email: "bob@example.com", password: "bob password!!" })
        ).id;
      });

      it("stores sealed, lists fingerprints only, makes the first one active, and loads the parsed key", async () => {
        const { db } = database;
        const key = rsaKey();
        const view = await addCredential(db, {
          userId: alice,
          label: "main",
          environment: "sim",
          apiKeyId: "alice-key-1",
          privateKey: key,
        });
        expect(view).toMatchObject({
          label: "main",
          environment: "sim",
          apiKeyId: "alice-key-1",
          active: true,
        });
        expect(view.fingerprint).toMatch(/^[0-9a-f]{8}…[0-9a-f]{8}$/);
        const [row] = await db.select().from(credentials).where(eq(credentials.id, view.id));
        const pemBody =
          key.export({ type: "pkcs8", format: "pem" }).toString().split("\n")[1] ?? "";
        expect(JSON.stringify(row)).not.toContain(pemBody);
        expect(row?.keyVersion).toBe(1);

        const active = await loadActiveCredential(db, alice);
        expect(active?.id).toBe(view.id);
        expect(active?.restBaseUrl).toBe(endpoints.sim.restBaseUrl);
        expect(active?.privateKey.export({ type: "pkcs8", format: "pem" })).toEqual(
          key.export({ type: "pkcs8", format: "pem" }),
        );
        // Cached: the same KeyObject on the next request.
        expect((await loadActiveCredential(db, alice))?.privateKey).toBe(active?.privateKey);
        expect(await loadActiveCredential(db, bob)).toBeNull();
      });

      it("refuses the same key id twice for one environment", async () => {
        const error = await rejection(
          addCredential(database.db, {
            userId: alice,
            label: "again",
            environment: "sim",
            apiKeyId: "alice-key-1",
            privateKey: rsaKey(),
          }),
        );
        expect((error as AppError).code).toBe("credential_exists");
      });

      it("never lets one user list, activate or delete another's credential", async () => {
        const { db } = database;
        const bobs = await addCredential(db, {
          userId: bob,
          label: "bob",
          environment: "sim",
          apiKeyId: "bob-key",
          privateKey: rsaKey(),
        });
        expect((await listCredentials(db, alice)).map((c) => c.id)).not.toContain(bobs.id);
        const activate = await rejection(activateCredential(db, alice, bobs.id));
        expect((activate as AppError).status).toBe(404);
        const remove = await rejection(deleteCredential(db, alice, bobs.id));
        expect((remove as AppError).status).toBe(404);
        expect(await db.select().from(credentials).where(eq(credentials.id, bobs.id))).toHaveLength(
          1,
        );
        // Even a forged settings row pointing at Bob's credential does not hand it to Alice.
        await db
          .update(userSettings)
          .set({ activeCredentialId: bobs.id })
          .where(eq(userSettings.userId, alice));
        expect(await loadActiveCredential(db, alice)).toBeNull();
        const [first] = await listCredentials(db, alice);
        if (first) await activateCredential(db, alice, first.id);
      });

      it("switches the active credential and destroys a deleted one", async () => {
        const { db } = database;
        const second = await addCredential(db, {
          userId: alice,
          label: "second",
          environment: "sim",
          apiKeyId: "alice-key-2",
          privateKey: rsaKey(),
        });
        expect(second.active).toBe(false);
        await activateCredential(db, alice, second.id);
        expect((await loadActiveCredential(db, alice))?.id).toBe(second.id);
        await deleteCredential(db, alice, second.id);
        expect(
          await db.select().from(credentials).where(eq(credentials.id, second.id)),
        ).toHaveLength(0);
        const remaining = await listCredentials(db, alice);
        expect(remaining).toHaveLength(1);
        expect(remaining[0]?.active).toBe(true);
      });

      it("rotates the master key: every credential still opens with the new key, the old key is refused", async () => {
        const { db } = database;
        const before = await db.select().from(credentials);
        const oldKey = Buffer.from(secrets.vaultKey, "base64");
        const newKey = randomBytes(32);
        const result = await rotateVaultKey(db, oldKey, newKey);
        expect(result).toEqual({ fromVersion: 1, toVersion: 2, rewrapped: before.length });
        const after = await db.select().from(credentials);
        for (const row of after) {
          const previous = before.find((b) => b.id === row.id);
          expect(row.keyVersion).toBe(2);
          expect(row.ciphertext).toBe(previous?.ciphertext);
          expect(row.wrappedDataKey).not.toBe(previous?.wrappedDataKey);
        }
        expect(await db.select().from(vaultKeys)).toHaveLength(2);

        // The old key is now refused, naming the rotation.
        const stale = await rejection(resolveMasterKey(db, oldKey));
        expect(stale).toBeInstanceOf(VaultError);
        expect((stale as VaultError).message).toMatch(/retired vault key version 1/);
        const unknown = await rejection(resolveMasterKey(db, randomBytes(32)));
        expect((unknown as VaultError).code).toBe("wrong_master_key");

        // The app restarted with the new key: every user's credential opens.
        process.env.VAULT_KEY = newKey.toString("base64");
        const { resetServerConfigForTests } = await import("@/server/config");
        resetServerConfigForTests();
        resetMasterKeyCache();
        clearCredentialKeyCache();
        expect((await getMasterKey(db)).version).toBe(2);
        expect((await loadActiveCredential(db, alice))?.apiKeyId).toBe("alice-key-1");
        expect((await loadActiveCredential(db, bob))?.apiKeyId).toBe("bob-key");
        // New records are sealed under version 2.
        const added = await addCredential(db, {
          userId: bob,
          label: "post-rotation",
          environment: "sim",
          apiKeyId: "bob-key-2",
          privateKey: rsaKey(),
        });
        const [row] = await db.select().from(credentials).where(eq(credentials.id, added.id));
        expect(row?.keyVersion).toBe(2);
      });

      it("rolls a failed rotation back entirely", async () => {
        const { db } = database;
        const before = await db.select().from(credentials);
        // Corrupt one record's wrapped key: rotation must fail and change nothing.
        const victim = before[0];
        if (!victim) throw new Error("no credentials");
        const corrupted = Buffer.from(victim.wrappedDataKey, "base64");
        corrupted[20] = (corrupted[20] ?? 0) ^ 1;
        await db
          .update(credentials)
          .set({ wrappedDataKey: corrupted.toString("base64") })
          .where(eq(credentials.id, victim.id));
        const current = Buffer.from(process.env.VAULT_KEY ?? "", "base64");
        const error = await rejection(rotateVaultKey(db, current, randomBytes(32)));
        expect((error as VaultError).code).toBe("tampered");
        const after = await db.select().from(credentials);
        expect(after.map((r) => [r.id, r.keyVersion]).sort()).toEqual(
          before.map((r) => [r.id, r.keyVersion]).sort(),
        );
        expect(
          (await db.select().from(vaultKeys)).filter((k) => k.current).map((k) => k.version),
        ).toEqual([2]);
        await db
          .update(credentials)
          .set({ wrappedDataKey: victim.wrappedDataKey })
          .where(eq(credentials.id, victim.id));
      });

      it("fails closed when a stored credential is tampered with or moved", async () => {
        const { db } = database;
        clearCredentialKeyCache();
        const [settings] = await db
          .select()
          .from(userSettings)
          .where(eq(userSettings.userId, alice));
        const [row] = await db
          .select()
          .from(credentials)
          .where(eq(credentials.id, settings?.activeCredentialId ?? ""));
        if (!row) throw new Error("no active credential");
        const tag = Buffer.from(row.authTag, "base64");
        tag[0] = (tag[0] ?? 0) ^ 1;
        await db
          .update(credentials)
          .set({ authTag: tag.toString("base64") })
          .where(eq(credentials.id, row.id));
        expect(((await rejection(loadActiveCredential(db, alice))) as VaultError).code).toBe(
          "tampered",
        );
        // Moving the (intact) record to Bob: the AAD binds it to Alice.
        await db
          .update(credentials)
          .set({ authTag: row.authTag, userId: bob })
          .where(eq(credentials.id, row.id));
        await activateCredential(db, bob, row.id);
        expect(((await rejection(loadActiveCredential(db, bob))) as VaultError).code).toBe(
          "tampered",
        );
      });
    });
  });
}
