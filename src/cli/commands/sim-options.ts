// SPDX-License-Identifier: Apache-2.0
// Validation of `krm sim` flags: a bad value stops with exit code 2 and names the flag.
import { z } from 'zod';
import { ConfigError } from '../../errors/app-error.ts';

const port = z.coerce.number().int().min(0).max(65535);

const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether the date and time of an ISO 8601 string exist (Date.parse takes 30 February as 2 March, 24:00 as 0:00). */
function realTime(s: string): boolean {
  const m = ISO_WITH_ZONE.exec(s);
  if (m === null) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && sec < 60;
}

/** `--start`: an ISO 8601 time with a zone (`2026-01-05T00:00:00Z`), as epoch ms. */
const startTime = z
  .string()
  .regex(ISO_WITH_ZONE, 'expected an ISO 8601 time with a zone, such as 2026-01-05T00:00:00Z')
  .refine(realTime, 'not a valid time')
  .transform((s) => Date.parse(s));

export const simFlagsSchema = z.object({
  scenario: z.string().min(1),
  port,
  host: z.string().min(1),
  // 0 stops the scenario clock at its start: a cluster that stands still, for benchmarks that compare runs.
  speed: z.coerce.number().min(0).max(100_000),
  start: startTime.optional(),
  seed: z.coerce.number().int().min(0).optional(),
  tls: z.boolean().optional(),
  token: z.string().min(1).optional(),
  writeKubeconfig: z.string().min(1).optional(),
  fromDump: z.string().min(1).optional(),
  printPrometheusConfig: z.boolean().optional(),
  bookmarkInterval: z.coerce.number().positive().optional(),
});

export type SimFlags = z.infer<typeof simFlagsSchema>;

export const historyFlagsSchema = z.object({
  scenario: z.string().min(1),
  seed: z.coerce.number().int().min(0).optional(),
  days: z.coerce.number().positive().max(400),
  step: z.coerce.number().int().min(1).max(3600),
  format: z.enum(['openmetrics', 'jsonl']),
  output: z.string().min(1),
});

export type HistoryFlags = z.infer<typeof historyFlagsSchema>;

/** Parses flags or throws a ConfigError naming the first bad flag. */
export function parseFlags<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const flag = String(issue?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  throw new ConfigError('KRM_CONFIG_INVALID', `invalid value for --${flag}: ${issue?.message ?? 'invalid'}`);
}
