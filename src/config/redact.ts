// SPDX-License-Identifier: Apache-2.0
// Redaction: secret config keys (SECRET_PATHS) by path, secret-looking field names anywhere (REQUIREMENTS §6.5:
// keys matching password, token, secret, key, credential), and passwords inside URLs. Used by `krm config check`,
// `GET /api/v1/config` and the logger. Redacted values print as `***` (§5.7).
import { SECRET_PATHS } from './schema.ts';

/** What a redacted value is replaced with. */
export const REDACTED = '***';

// Field names are compared lower-cased with `-` and `_` removed. "key" alone is too broad (groupKey, cacheKey), so
// only the usual secret compounds count, plus a field named exactly `key`.
const SECRET_NAME = /password|passwd|token|secret|credential|authorization|cookie|apikey|privatekey|accesskey|signingkey|webhookurl/;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/?#\s@]*)@/gi;
const MAX_DEPTH = 8;

/** True when a field of this name holds a secret: `password`, `bearerToken`, `api_key`, `webhookUrl`, `key`, … */
export function isSecretFieldName(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  return n === 'key' || SECRET_NAME.test(n);
}

/**
 * Masks the password (or lone token) in the user-info of every URL in a text: `https://u:p@h/` → `https://u:***@h/`,
 * also inside an error message.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? REDACTED : `${userinfo.slice(0, colon)}:${REDACTED}`}@`;
  });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function redactArray(value: readonly unknown[], depth: number): unknown {
  let changed = false;
  const out = value.map((item) => {
    const r = redactValue(item, depth + 1);
    changed ||= r !== item;
    return r;
  });
  return changed ? out : value;
}

function redactObject(value: Record<string, unknown>, depth: number): unknown {
  let out: Record<string, unknown> | undefined;
  for (const [name, child] of Object.entries(value)) {
    const r = child !== undefined && child !== null && isSecretFieldName(name) ? REDACTED : redactValue(child, depth + 1);
    if (r !== child) {
      out ??= { ...value };
      out[name] = r;
    }
  }
  return out ?? value;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.includes('://') && value.includes('@') ? redactUrlCredentials(value) : value;
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return redactArray(value, depth);
  // Errors and other class instances are left to their serializers.
  return isPlainObject(value) ? redactObject(value, depth) : value;
}

/**
 * Redacts secret-named fields and URL passwords in plain objects and arrays (to a depth of 8). Returns the same
 * reference when nothing needed redaction, so it is cheap on the logging hot path; never mutates its input.
 */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, 0) as T;
}

function clonePlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clonePlain);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clonePlain(v)]));
  return value;
}

/**
 * Returns a redacted deep copy of a configuration object: every set value at a secret path (SECRET_PATHS by
 * default) becomes `***`, then {@link redactSecrets} applies. The input (usually frozen) is not touched.
 */
export function redactConfig<T>(config: T, secretPaths: readonly string[] = SECRET_PATHS): T {
  const copy = clonePlain(config);
  for (const path of secretPaths) {
    const segments = path.split('.');
    const last = segments.pop() as string;
    let node: unknown = copy;
    for (const s of segments) node = isPlainObject(node) ? node[s] : undefined;
    if (isPlainObject(node) && node[last] !== undefined && node[last] !== null) node[last] = REDACTED;
  }
  return redactSecrets(copy) as T;
}
