// SPDX-License-Identifier: Apache-2.0
// Introspection of the config schema: the list of keys with their environment variable, flag, type, default,
// description and secrecy. The loader's env mapping, `krm config check`'s flags and docs/config.md all come from
// here, so adding a key to schema.ts is the whole change.
import { z } from 'zod';
import { ConfigSchema, SECRET_PATHS } from './schema.ts';

/** How a key's value is written; decides how an environment string is converted before validation. */
export type ConfigKeyKind = 'string' | 'url' | 'integer' | 'number' | 'boolean' | 'enum' | 'duration' | 'list';

/** One leaf key of the configuration. */
export interface ConfigKey {
  /** Path segments, e.g. `['collection', 'interval']`. */
  readonly path: readonly string[];
  /** Dot path, e.g. `collection.interval`. */
  readonly id: string;
  /** Environment variable, e.g. `KRM_COLLECTION_INTERVAL`. */
  readonly env: string;
  /** Long CLI flag without dashes (`db` for `--db`), when the key has one; every key can be set with `--set`. */
  readonly flag: string | undefined;
  readonly kind: ConfigKeyKind;
  /** Allowed values of an enum key. */
  readonly values: readonly string[] | undefined;
  /** Default in input form (`"60s"`, not 60000); `undefined` when the key has none. */
  readonly defaultValue: unknown;
  readonly description: string;
  /** Listed in SECRET_PATHS: never printed or logged. */
  readonly secret: boolean;
}

/** An object of the configuration (`alerts`, `alerts.slack`, …) with its description. */
export interface ConfigSection {
  readonly path: readonly string[];
  readonly id: string;
  readonly description: string;
}

/** Everything the schema says about its keys, in schema order. */
export interface ConfigSchemaInfo {
  readonly sections: readonly ConfigSection[];
  readonly keys: readonly ConfigKey[];
}

interface Unwrapped {
  core: z.ZodType;
  meta: Record<string, unknown>;
  defaultValue: unknown;
}

// Peels default/prefault/optional/pipe wrappers off a schema, collecting metadata (outer layers win) and the
// outermost default.
function unwrap(schema: z.ZodType): Unwrapped {
  const metas: Record<string, unknown>[] = [];
  let s: z.ZodType = schema;
  let defaultValue: unknown = undefined;
  for (;;) {
    metas.unshift({ ...(z.globalRegistry.get(s) ?? {}) });
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) {
      if (defaultValue === undefined) defaultValue = s.def.defaultValue;
      s = s.def.innerType as z.ZodType;
    } else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.def.innerType as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = (s.def.in instanceof z.ZodTransform ? s.def.out : s.def.in) as z.ZodType;
    } else {
      break;
    }
  }
  return { core: s, meta: Object.assign({}, ...metas) as Record<string, unknown>, defaultValue };
}

function kindOf(core: z.ZodType, meta: Record<string, unknown>, id: string): ConfigKeyKind {
  if (meta['format'] === 'duration') return 'duration';
  if (core instanceof z.ZodURL) return 'url';
  if (core instanceof z.ZodString) return 'string';
  if (core instanceof z.ZodNumber) return core.format === 'safeint' || core.format === 'int32' ? 'integer' : 'number';
  if (core instanceof z.ZodBoolean) return 'boolean';
  if (core instanceof z.ZodEnum) return 'enum';
  if (core instanceof z.ZodArray) return 'list';
  throw new Error(`config schema: unsupported type at ${id}`);
}

/** `maxSeriesPerQuery` → `MAX_SERIES_PER_QUERY`. */
export function toEnvSegment(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Commander's attribute name for a long flag: `log-level` → `logLevel`. */
export function flagAttribute(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function leafKey(path: string[], u: Unwrapped): ConfigKey {
  const id = path.join('.');
  const description = u.meta['description'];
  const env = u.meta['env'];
  const flag = u.meta['flag'];
  return {
    path,
    id,
    env: typeof env === 'string' ? env : `KRM_${path.map(toEnvSegment).join('_')}`,
    flag: typeof flag === 'string' ? flag : undefined,
    kind: kindOf(u.core, u.meta, id),
    values: u.core instanceof z.ZodEnum ? (u.core.options as readonly string[]) : undefined,
    defaultValue: u.defaultValue,
    description: typeof description === 'string' ? description : '',
    secret: (SECRET_PATHS as readonly string[]).includes(id),
  };
}

function walk(schema: z.ZodType, path: string[], out: { sections: ConfigSection[]; keys: ConfigKey[] }): void {
  const u = unwrap(schema);
  if (!(u.core instanceof z.ZodObject)) {
    out.keys.push(leafKey(path, u));
    return;
  }
  if (path.length > 0) {
    const description = u.meta['description'];
    out.sections.push({ path, id: path.join('.'), description: typeof description === 'string' ? description : '' });
  }
  for (const [name, child] of Object.entries(u.core.shape as Record<string, z.ZodType>)) {
    walk(child, [...path, name], out);
  }
}

/** Lists the sections and leaf keys of a config schema (ConfigSchema by default), in schema order. */
export function describeConfigSchema(schema: z.ZodType = ConfigSchema): ConfigSchemaInfo {
  const out = { sections: [] as ConfigSection[], keys: [] as ConfigKey[] };
  walk(schema, [], out);
  return out;
}
