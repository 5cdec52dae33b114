/**
 * Turns an object graph into one `v8.serialize` can store and back: the
 * structured clone keeps Maps, Sets, shared references and cycles, but
 * drops class prototypes and refuses functions. Here class instances become
 * tagged plain objects (`{ "\0c": name, f: fields }`) of a registered class,
 * and a few live objects the snapshot must not copy (the state itself, the
 * engine) become named references (`{ "\0r": name }`) that restore binds to
 * the new process's objects.
 *
 * Records (plain objects whose values are all primitives: orders, fills,
 * trades...) are stored as arrays of their values (`["\0R", shape, ...]`)
 * with each distinct key list ("shape") stored once: the structured clone
 * would otherwise write every key of every record, most of a snapshot's
 * bytes. Containers are mirrored, so encoding costs a walk of the graph and
 * a Map/array per container.
 * Anything else (a function, an unregistered class) is an error naming where
 * it was found: a part that grows a new kind of value must register it.
 */

export const CLASS_TAG = "\u0000c";
export const REF_TAG = "\u0000r";
/** First element of a record stored as its values. */
export const RECORD_TAG = "\u0000R";

/** What `encodeGraph` produces: the record shapes, then the graph. */
export interface EncodedGraph {
  shapes: string[][];
  root: unknown;
}

export interface SnapshotClass {
  /** Stable name stored in snapshots (never the constructor's name, which builds may change). */
  name: string;
  prototype: object;
  /** Fields not stored (runtime wiring such as subscriptions); restore leaves them unset. */
  transient?: readonly string[];
}

export class SnapshotCodecError extends Error {
  readonly path: string[] = [];

  constructor(readonly reason: string) {
    super(reason);
  }

  override get message(): string {
    return `snapshot: ${this.reason} at ${this.path.join(".") || "the root"}`;
  }
}

/** Adds where an error happened to its path on the way out (no closure per field on the way in). */
function annotate(error: unknown, key: string): unknown {
  if (error instanceof SnapshotCodecError) error.path.unshift(key);
  return error;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A plain object whose values are all primitives (stored as is). */
function isRecord(value: Record<string, unknown>): boolean {
  for (const key in value) {
    const field = value[key];
    if (field !== null && (typeof field === "object" || typeof field === "function")) return false;
  }
  return true;
}

export function encodeGraph(
  root: unknown,
  classes: readonly SnapshotClass[],
  refs: ReadonlyMap<object, string>,
): EncodedGraph {
  const byPrototype = new Map(classes.map((spec) => [spec.prototype, spec]));
  const memo = new Map<object, unknown>();
  const shapes: string[][] = [];
  /** Shape ids by first key (records of one kind share their key list, in order). */
  const shapesByFirstKey = new Map<string, number[]>();

  const shapeOf = (keys: string[]): number => {
    const candidates = shapesByFirstKey.get(keys[0] ?? "") ?? [];
    for (const id of candidates) {
      const shape = shapes[id] as string[];
      if (shape.length === keys.length && shape.every((key, i) => key === keys[i])) return id;
    }
    shapes.push(keys);
    candidates.push(shapes.length - 1);
    shapesByFirstKey.set(keys[0] ?? "", candidates);
    return shapes.length - 1;
  };

  const encode = (value: unknown): unknown => {
    if (typeof value === "function" || typeof value === "symbol") {
      throw new SnapshotCodecError(`a ${typeof value} cannot be stored`);
    }
    if (value === null || typeof value !== "object") return value;
    const ref = refs.get(value);
    if (ref !== undefined) return { [REF_TAG]: ref };
    const seen = memo.get(value);
    if (seen !== undefined) return seen;
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      memo.set(value, out);
      for (let i = 0; i < value.length; i += 1) {
        try {
          out[i] = encode(value[i]);
        } catch (error) {
          throw annotate(error, `[${i}]`);
        }
      }
      return out;
    }
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      memo.set(value, out);
      for (const [key, entry] of value) {
        try {
          out.set(encode(key), encode(entry));
        } catch (error) {
          throw annotate(error, typeof key === "string" ? key : "(key)");
        }
      }
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<unknown>();
      memo.set(value, out);
      for (const entry of value) {
        try {
          out.add(encode(entry));
        } catch (error) {
          throw annotate(error, "(member)");
        }
      }
      return out;
    }
    const fields = value as Record<string, unknown>;
    if (isPlainObject(value)) {
      if (isRecord(fields)) {
        const keys = Object.keys(fields);
        const out: unknown[] = [RECORD_TAG, shapeOf(keys)];
        for (const key of keys) out.push(fields[key]);
        memo.set(value, out);
        return out;
      }
      const out: Record<string, unknown> = {};
      memo.set(value, out);
      for (const key of Object.keys(fields)) {
        try {
          out[key] = encode(fields[key]);
        } catch (error) {
          throw annotate(error, key);
        }
      }
      return out;
    }
    const spec = byPrototype.get(Object.getPrototypeOf(value) as object);
    if (!spec) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "?";
      throw new SnapshotCodecError(`class ${name} is not registered for snapshots`);
    }
    const stored: Record<string, unknown> = {};
    const out = { [CLASS_TAG]: spec.name, f: stored };
    memo.set(value, out);
    for (const key of Object.keys(fields)) {
      if (spec.transient?.includes(key)) continue;
      try {
        stored[key] = encode(fields[key]);
      } catch (error) {
        throw annotate(error, key);
      }
    }
    return out;
  };

  return { shapes, root: encode(root) };
}

/** Rebuilds what `encodeGraph` stored (in place: the deserialized containers are reused). */
export function decodeGraph(
  encoded: EncodedGraph,
  classes: readonly SnapshotClass[],
  refs: ReadonlyMap<string, object>,
): unknown {
  const { shapes } = encoded;
  const byName = new Map(classes.map((spec) => [spec.name, spec]));
  const memo = new Map<object, unknown>();
  const has = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

  const decode = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    const seen = memo.get(value);
    if (seen !== undefined) return seen;
    if (Array.isArray(value)) {
      if (value[0] === RECORD_TAG) {
        const keys = shapes[value[1] as number];
        if (!keys) throw new SnapshotCodecError(`unknown record shape ${String(value[1])}`);
        const record: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i += 1) record[keys[i] as string] = value[i + 2];
        memo.set(value, record);
        return record;
      }
      memo.set(value, value);
      for (let i = 0; i < value.length; i += 1) value[i] = decode(value[i]);
      return value;
    }
    if (value instanceof Map) {
      memo.set(value, value);
      const entries = [...value];
      value.clear();
      for (const [key, entry] of entries) value.set(decode(key), decode(entry));
      return value;
    }
    if (value instanceof Set) {
      memo.set(value, value);
      const members = [...value];
      value.clear();
      for (const member of members) value.add(decode(member));
      return value;
    }
    const fields = value as Record<string, unknown>;
    if (has(value, REF_TAG)) {
      const target = refs.get(String(fields[REF_TAG]));
      if (!target) throw new SnapshotCodecError(`unknown reference ${String(fields[REF_TAG])}`);
      memo.set(value, target);
      return target;
    }
    if (has(value, CLASS_TAG)) {
      const spec = byName.get(String(fields[CLASS_TAG]));
      if (!spec) throw new SnapshotCodecError(`unknown class ${String(fields[CLASS_TAG])}`);
      const instance = Object.create(spec.prototype) as Record<string, unknown>;
      memo.set(value, instance);
      const storedFields = fields.f as Record<string, unknown>;
      for (const key of Object.keys(storedFields)) instance[key] = decode(storedFields[key]);
      return instance;
    }
    memo.set(value, value);
    if (isRecord(fields)) return value;
    for (const key of Object.keys(fields)) fields[key] = decode(fields[key]);
    return value;
  };

  return decode(encoded.root);
}
