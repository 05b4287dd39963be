// SPDX-License-Identifier: Apache-2.0
// The effective configuration for people: secrets redacted and durations written back as text ("60s", "14d"),
// as printed by `krm config check` (and suitable for `GET /api/v1/config`).
import { stringify } from 'yaml';
import { formatDurationMs } from './duration.ts';
import { describeConfigSchema } from './keys.ts';
import { redactConfig } from './redact.ts';
import type { Config } from './schema.ts';

/** A redacted, plain copy of the configuration with every duration as text. */
export function toDisplayConfig(config: Config): Record<string, unknown> {
  const copy = redactConfig(config) as unknown as Record<string, unknown>;
  for (const key of describeConfigSchema().keys) {
    if (key.kind !== 'duration') continue;
    let node: unknown = copy;
    for (const s of key.path.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[s];
    const parent = node as Record<string, unknown> | undefined;
    const name = key.path[key.path.length - 1] as string;
    const value = parent?.[name];
    if (parent !== undefined && typeof value === 'number') parent[name] = formatDurationMs(value);
  }
  return copy;
}

/** The effective configuration as YAML, secrets redacted; apart from those, loading it back gives the same configuration. */
export function formatConfigYaml(config: Config): string {
  return stringify(toDisplayConfig(config));
}
