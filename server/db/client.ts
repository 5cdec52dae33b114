/**
 * The database connection: an embedded PGlite on disk by default, a real
 * Postgres (postgres.js) when DATABASE_URL is set. Migrations from
 * server/db/migrations are applied when the connection opens.
 *
 * One connection per process: it is kept on `globalThis` because the Next.js
 * bundle, hot reloads and server/main.ts each evaluate their own copy of this
 * module, and a PGlite directory must only ever be opened once.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

import { getServerConfig } from "@/server/config";
import * as schema from "@/server/db/schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; everything that takes a Database also accepts one. */
export type DatabaseTx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL; when absent, PGlite. */
  url?: string;
  /** PGlite directory; absent with no URL = in memory (tests only). */
  pgliteDir?: string;
  /** Default: server/db/migrations under the working directory. */
  migrationsFolder?: string;
}

/** Where the committed SQL migrations live (traced into the standalone build by next.config.ts). */
export function defaultMigrationsFolder(): string {
  return path.join(process.cwd(), "server", "db", "migrations");
}

// Arbitrary constant: serialises migrations when several app instances start against one Postgres.
const MIGRATION_LOCK_ID = 7_413_529_001;

/** Opens a database and applies pending migrations. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  if (options.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    // A single-connection client for the migration, so the advisory lock and the DDL share a session.
    const migrationClient = postgres(options.url, { max: 1, onnotice: () => {} });
    try {
      await migrationClient`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      await migrate(drizzle(migrationClient, { schema }), { migrationsFolder });
      await migrationClient`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    } finally {
      await migrationClient.end({ timeout: 5 });
    }
    const client = postgres(options.url, { max: 10, onnotice: () => {} });
    return {
      db: drizzle(client, { schema }) as unknown as Database,
      kind: "postgres",
      close: () => client.end({ timeout: 5 }),
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true, mode: 0o700 });
  const client = options.pgliteDir ? new PGlite(options.pgliteDir) : new PGlite();
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Database, kind: "pglite", close: () => client.close() };
}

const GLOBAL_KEY = Symbol.for("kalshi-dashboard.database");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<DatabaseHandle> };

/** The process-wide database, opened (and migrated) on first use from the server configuration. */
export async function getDb(): Promise<Database> {
  const store = globalThis as GlobalWithDb;
  if (!store[GLOBAL_KEY]) {
    const config = getServerConfig();
    const opening = openDatabase(
      config.databaseUrl
        ? { url: config.databaseUrl }
        : { pgliteDir: path.resolve(config.dataDir, "pglite") },
    );
    // A failed open must not stick: the next request tries again.
    opening.catch(() => {
      if (store[GLOBAL_KEY] === opening) delete store[GLOBAL_KEY];
    });
    store[GLOBAL_KEY] = opening;
  }
  return (await store[GLOBAL_KEY]).db;
}

/** Closes the process-wide database if it was opened (graceful shutdown). */
export async function closeDb(): Promise<void> {
  const store = globalThis as GlobalWithDb;
  const opening = store[GLOBAL_KEY];
  delete store[GLOBAL_KEY];
  if (opening) await (await opening).close();
}

/** Makes `getDb()` return this handle (tests only). */
export function setDatabaseForTests(handle: DatabaseHandle | undefined): void {
  const store = globalThis as GlobalWithDb;
  if (handle) store[GLOBAL_KEY] = Promise.resolve(handle);
  else delete store[GLOBAL_KEY];
}
