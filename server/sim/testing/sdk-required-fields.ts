/**
 * Conformance checks against the official `kalshi-typescript` SDK: reads a
 * model interface from the SDK's own source (node_modules/kalshi-typescript/
 * models/<name>.ts) at test time and reports every required field a value
 * lacks, or that has the wrong JSON type, following nested models, arrays
 * and maps. Nothing is hand-maintained: when the SDK changes, the checks do.
 *
 * A field is required when the SDK declares it `'field': type;` and optional
 * when `'field'?: type;`. Optional fields are type-checked when present and
 * may be null (the OpenAPI pages mark many of them nullable).
 *
 * Test-only (reads files synchronously).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface SdkProperty {
  name: string;
  required: boolean;
  /** The TypeScript type as written, e.g. "Array<PriceRange>", "string | null". */
  type: string;
}

export interface SdkModel {
  /** File name without extension, e.g. "market". */
  file: string;
  interfaceName: string;
  properties: SdkProperty[];
  /** Type name → model file it is imported from. */
  imports: Map<string, string>;
}

function modelsDir(): string {
  const require = createRequire(import.meta.url);
  // The package's entry lives at its root (or under dist/); models/ sits at the root.
  let dir = path.dirname(require.resolve("kalshi-typescript/package.json"));
  if (!existsSync(path.join(dir, "models"))) dir = path.join(dir, "..");
  return path.join(dir, "models");
}

const cache = new Map<string, SdkModel | null>();

/** Parses `models/<file>.ts`; null when it declares no interface (an enum-like const). */
export function loadSdkModel(file: string): SdkModel | null {
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  const source = readFileSync(path.join(modelsDir(), `${file}.ts`), "utf8");
  const imports = new Map<string, string>();
  for (const match of source.matchAll(/import type \{\s*(\w+)\s*\} from '\.\/([\w-]+)';/g)) {
    imports.set(match[1] as string, match[2] as string);
  }
  const head = /export interface (\w+) \{/.exec(source);
  let model: SdkModel | null = null;
  if (head) {
    const body = source.slice(head.index + head[0].length, source.indexOf("\n}", head.index));
    const properties: SdkProperty[] = [];
    for (const line of body.split("\n")) {
      const prop = /^\s*'([^']+)'(\?)?:\s*(.+);\s*$/.exec(line);
      if (prop)
        properties.push({
          name: prop[1] as string,
          required: prop[2] !== "?",
          type: (prop[3] as string).trim(),
        });
    }
    model = { file, interfaceName: head[1] as string, properties, imports };
  }
  cache.set(file, model);
  return model;
}

/** Names of the fields the SDK marks required on a model. */
export function sdkRequiredFields(file: string): string[] {
  const model = loadSdkModel(file);
  if (!model) throw new Error(`kalshi-typescript models/${file}.ts declares no interface`);
  return model.properties.filter((p) => p.required).map((p) => p.name);
}

/**
 * Every problem with `value` as an instance of the SDK model in
 * `models/<file>.ts`: missing required fields and JSON type mismatches, as
 * "path: message" strings. Empty when the value conforms.
 */
export function sdkShapeProblems(file: string, value: unknown, where = file): string[] {
  const problems: string[] = [];
  checkModel(file, value, where, problems);
  return problems;
}

function checkModel(file: string, value: unknown, where: string, problems: string[]): void {
  const model = loadSdkModel(file);
  if (!model) {
    // Enum-like types (FeeType, BookSide...) are strings on the wire.
    if (typeof value !== "string")
      problems.push(`${where}: expected an enum string, got ${describe(value)}`);
    return;
  }
  if (!isObject(value)) {
    problems.push(`${where}: expected an object (${model.interfaceName}), got ${describe(value)}`);
    return;
  }
  for (const prop of model.properties) {
    const field = `${where}.${prop.name}`;
    if (!(prop.name in value) || value[prop.name] === undefined) {
      if (prop.required)
        problems.push(`${field}: required by the SDK's ${model.interfaceName} but missing`);
      continue;
    }
    const fieldValue = value[prop.name];
    if (fieldValue === null && (!prop.required || /\bnull\b/.test(prop.type))) continue;
    checkType(model, prop.type, fieldValue, field, problems);
  }
}

function checkType(
  model: SdkModel,
  rawType: string,
  value: unknown,
  where: string,
  problems: string[],
): void {
  const alternatives = splitUnion(rawType);
  const nullable = alternatives.includes("null");
  const types = alternatives.filter((t) => t !== "null");
  if (value === null) {
    if (!nullable) problems.push(`${where}: must not be null (${rawType})`);
    return;
  }
  if (types.length !== 1) {
    // Unions of several non-null types are rare in the SDK; accept any JSON value.
    return;
  }
  const type = types[0] as string;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) {
      problems.push(`${where}: expected an array (${type}), got ${describe(value)}`);
      return;
    }
    value.forEach((item, i) =>
      checkType(model, array[1] as string, item, `${where}[${i}]`, problems),
    );
    return;
  }
  const map = /^\{\s*\[key: string\]:\s*(.+?);\s*\}$/.exec(type);
  if (map) {
    if (!isObject(value)) {
      problems.push(`${where}: expected an object map, got ${describe(value)}`);
      return;
    }
    for (const [key, item] of Object.entries(value))
      checkType(model, map[1] as string, item, `${where}.${key}`, problems);
    return;
  }
  switch (type) {
    case "string":
    case "number":
    case "boolean":
      if (typeof value !== type)
        problems.push(`${where}: expected ${type}, got ${describe(value)}`);
      return;
    case "object":
      if (!isObject(value)) problems.push(`${where}: expected an object, got ${describe(value)}`);
      return;
    case "any":
    case "unknown":
      return;
  }
  const imported = model.imports.get(type);
  if (imported) {
    checkModel(imported, value, where, problems);
    return;
  }
  // An enum declared in the same file (MarketStatusEnum...): a string or number constant.
  if (typeof value !== "string" && typeof value !== "number") {
    problems.push(`${where}: expected a ${type} value, got ${describe(value)}`);
  }
}

/** Splits "A | B | null" at top level (not inside <> or {}). */
function splitUnion(type: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of type) {
    if (ch === "<" || ch === "{") depth += 1;
    if (ch === ">" || ch === "}") depth -= 1;
    if (ch === "|" && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
