// SPDX-License-Identifier: Apache-2.0
// The configuration contract: the only place configuration keys exist. Environment variable names, CLI flags,
// docs/config.md and redaction are all derived from this schema (see keys.ts). Every key has `.describe()`; a key's
// environment variable is `KRM_` + its path in SCREAMING_SNAKE case unless `meta({ env })` names the one the
// requirements fix (REQUIREMENTS §7.5); `meta({ flag })` gives it a CLI flag.
import { z } from 'zod';
import { parseDuration } from './duration.ts';

/** Dot paths of secret keys: redacted as `***` by `krm config check`, `GET /api/v1/config` and the logger. */
export const SECRET_PATHS = [
  'auth.token',
  'prometheus.bearerToken',
  'prometheus.password',
  'alerts.slack.webhookUrl',
  'alerts.webhook.url',
  'alerts.smtp.password',
] as const;

/**
 * A duration written as text ("60s", "5m", "14d", see duration.ts), parsed to milliseconds. `min` and `max` are
 * durations too. Bare numbers are rejected with a hint.
 */
function duration(limits: { min?: string; max?: string } = {}) {
  const minMs = limits.min === undefined ? 0 : durationConstant(limits.min);
  const maxMs = limits.max === undefined ? Number.MAX_SAFE_INTEGER : durationConstant(limits.max);
  return z
    .union([z.string(), z.number()])
    .transform((text, ctx) => {
      const r = parseDuration(String(text));
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.reason });
        return z.NEVER;
      }
      if (r.ms < minMs || r.ms > maxMs) {
        const message = r.ms < minMs ? `must be at least ${limits.min}` : `must be at most ${limits.max}`;
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return r.ms;
    })
    .meta({ format: 'duration' });
}

function durationConstant(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(`bad duration constant in the config schema: ${text}`);
  return r.ms;
}

const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const port = () => z.number().int().min(0).max(65535);
const nonEmpty = () => z.string().min(1, 'must not be empty');

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
// The operations guide names levels the Python way (WARNING, CRITICAL); accept those spellings too.
const LOG_LEVEL_ALIASES: Readonly<Record<string, string>> = { warning: 'warn', critical: 'fatal' };
const normalizeLevel = (v: unknown): unknown =>
  typeof v === 'string' ? (LOG_LEVEL_ALIASES[v.toLowerCase()] ?? v.toLowerCase()) : v;

const cluster = z
  .strictObject({
    name: nonEmpty()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/, 'must be 1-63 letters, digits, ".", "_" or "-", starting and ending with a letter or digit')
      .default('default')
      .describe('Name of the monitored cluster; the `cluster` key on every stored row and exported metric.')
      .meta({ flag: 'cluster-name' }),
  })
  .describe('Identity of the monitored cluster.');

const server = z
  .strictObject({
    host: nonEmpty()
      .default('0.0.0.0')
      .describe('Address the HTTP server listens on (REST API, health, /metrics, dashboard).')
      .meta({ env: 'KRM_HOST', flag: 'host' }),
    port: port().default(8000).describe('TCP port of the HTTP server; 0 picks a free port.').meta({ env: 'KRM_PORT', flag: 'port' }),
  })
  .describe('HTTP server.');

const auth = z
  .strictObject({
    mode: z
      .enum(['none', 'token'])
      .default('none')
      .describe('API authentication: `none` (localhost and development only) or `token` (bearer token below).'),
    token: z
      .string()
      .min(16, 'must be at least 16 characters')
      .optional()
      .describe('Bearer token required on /api/v1 requests when `auth.mode` is `token`. Health and /metrics bypass it.'),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'token' && v.token === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'is required when auth.mode is "token"' });
    }
  })
  .describe('Authentication of the REST API.');

const kube = z
  .strictObject({
    kubeconfig: nonEmpty()
      .optional()
      .describe('Kubeconfig file; unset means `KUBECONFIG`, then `~/.kube/config`, then the in-cluster service account.')
      .meta({ env: 'KRM_KUBECONFIG', flag: 'kubeconfig' }),
    context: nonEmpty().optional().describe('Kubeconfig context to use; unset means the current context.').meta({ flag: 'context' }),
    qps: z.number().positive().max(10_000).default(50).describe('Client-side rate limit of Kubernetes API requests, per second.'),
    burst: z.number().int().positive().max(10_000).default(100).describe('Burst allowance of the client-side rate limit (requests).'),
  })
  .describe('Kubernetes API access.');

const collection = z
  .strictObject({
    interval: duration({ min: '15s', max: '1h' }).prefault('60s').describe('How often usage is sampled.'),
    source: z
      .enum(['auto', 'prometheus', 'metrics-server', 'kubelet'])
      .default('auto')
      .describe('Usage source. `auto` prefers Prometheus when configured and complete, then metrics-server, then the kubelet if `collection.kubeletFallback` is on.')
      .meta({ env: 'KRM_METRICS_SOURCE', flag: 'metrics-source' }),
    kubeletFallback: z
      .boolean()
      .default(false)
      .describe('Let `auto` fall back to kubelet summaries through the API server node proxy (needs `nodes/proxy` RBAC).'),
    decodeWorker: z
      .boolean()
      .default(true)
      .describe('Parse the metrics-server and kubelet answers in a worker thread, so that the thread serving the API is not held by a cycle (about 50 MB of JSON a minute at 150,000 pods). Off: parsed in the main thread.'),
    kubeletQps: z
      .number()
      .positive()
      .max(10_000)
      .default(1000)
      .describe(
        'Rate limit of kubelet requests through the node proxy, per second (one per node per cycle, two for the nodes read in full; apart from `kube.qps`, so that 5,000 nodes take about 5 s of a 10 s cycle). Lower it to spare a small API server; a cycle then takes nodes divided by this many seconds at least.',
      ),
  })
  .describe('Usage sampling.');

const backfill = z
  .strictObject({
    enabled: z.boolean().default(true).describe('On first start against a Prometheus, import past history with range queries.'),
    window: duration({ min: '0s', max: '1y' }).prefault('14d').describe('How much Prometheus history the first start imports.'),
    batch: duration({ min: '1m', max: '30d' })
      .prefault('6h')
      .describe(
        'Time window of one backfill range query (also capped at 11,000 points per series); bounds the size of each response and of each write.',
      ),
    concurrency: z.number().int().min(1).max(16).default(2).describe('Backfill range queries in flight at once.'),
  })
  .describe('History import from Prometheus.');

const prometheus = z
  .strictObject({
    url: httpUrl()
      .optional()
      .describe('Prometheus base URL including any path prefix (Thanos, Mimir: `/prometheus`, `/api/prom`). Unset disables Prometheus.')
      .meta({ flag: 'prometheus-url' }),
    bearerToken: nonEmpty().optional().describe('Bearer token sent to Prometheus.'),
    username: nonEmpty().optional().describe('Basic-auth user name for Prometheus.'),
    password: nonEmpty().optional().describe('Basic-auth password for Prometheus.'),
    timeout: duration({ min: '1s', max: '10m' }).prefault('60s').describe('Timeout of one Prometheus query.'),
    maxSeriesPerQuery: z
      .number()
      .int()
      .positive()
      .default(20_000)
      .describe('Series one query may return before queries are sharded by namespace.')
      .meta({ env: 'KRM_PROM_MAX_SERIES_PER_QUERY' }),
  })
  .superRefine((v, ctx) => {
    if (v.password !== undefined && v.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required when prometheus.password is set' });
    }
    if (v.bearerToken !== undefined && v.username !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bearerToken'], message: 'cannot be combined with basic auth (prometheus.username)' });
    }
  })
  .describe('Prometheus as a usage and history source.');

const store = z
  .strictObject({
    path: nonEmpty()
      .default('data/k8s_metrics.db')
      .describe('SQLite database file, relative to the working directory unless absolute. Never on NFS or SMB.')
      .meta({ env: 'KRM_DB_PATH', flag: 'db' }),
    cacheSizeMiB: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(64)
      .describe('SQLite page cache per connection, in MiB.')
      .meta({ env: 'KRM_STORE_CACHE_SIZE_MIB' }),
    rotationInterval: duration({ min: '1m', max: '1d' })
      .prefault('1h')
      .describe('How often rollups are computed and expired rows deleted.')
      .meta({ env: 'KRM_ROTATION_INTERVAL' }),
  })
  .describe('History store (SQLite).');

/** Retention per tier for each profile of REQUIREMENTS §2.3, as durations. */
const RETENTION_PROFILES = {
  critical: { raw: '30d', rollup1h: '2y' },
  important: { raw: '15d', rollup1h: '1y' },
  standard: { raw: '7d', rollup1h: '6mo' },
  debug: { raw: '3d', rollup1h: '1mo' },
} as const;

const RETENTION_FIXED = { rollup5m: '35d', rollup1d: '2y', events: '30d', objects: '90d', findings: '180d' } as const;

const tier = (what: string, fallback: string) =>
  duration({ min: '1h', max: '10y' }).optional().describe(`Retention of ${what}; unset means ${fallback}.`);

const retention = z
  .strictObject({
    profile: z
      .enum(['critical', 'important', 'standard', 'debug'])
      .default('standard')
      .describe('Retention profile: raw 30d/15d/7d/3d and 1-hour rollups 2y/1y/6mo/1mo for critical/important/standard/debug.'),
    raw: tier('raw samples', 'the value of `retention.profile`'),
    rollup5m: duration({ min: '35d', max: '10y' })
      .optional()
      .describe('Retention of 5-minute rollups; unset means 35d, also the minimum (14-day and 4-week analyses read them).'),
    rollup1h: tier('1-hour rollups', 'the value of `retention.profile`'),
    rollup1d: tier('1-day rollups', RETENTION_FIXED.rollup1d),
    events: tier('Kubernetes events and pod lifecycle entries (restarts, terminations, evictions, scheduling failures)', RETENTION_FIXED.events),
    objects: tier('pods and nodes after their deletion (their history: requests, limits, node, lifetime)', RETENTION_FIXED.objects),
    findings: tier('findings, recommendations, alerts and notifications', RETENTION_FIXED.findings),
  })
  .transform((v) => {
    const p = RETENTION_PROFILES[v.profile];
    return {
      profile: v.profile,
      raw: v.raw ?? durationConstant(p.raw),
      rollup5m: v.rollup5m ?? durationConstant(RETENTION_FIXED.rollup5m),
      rollup1h: v.rollup1h ?? durationConstant(p.rollup1h),
      rollup1d: v.rollup1d ?? durationConstant(RETENTION_FIXED.rollup1d),
      events: v.events ?? durationConstant(RETENTION_FIXED.events),
      objects: v.objects ?? durationConstant(RETENTION_FIXED.objects),
      findings: v.findings ?? durationConstant(RETENTION_FIXED.findings),
    };
  })
  .describe('Retention of stored data per tier. Every value is resolved: an unset tier takes its default.');

const log = z
  .strictObject({
    level: z.preprocess(normalizeLevel, z.enum(LOG_LEVELS))
      .default('info')
      .describe('Lowest level logged: trace, debug, info, warn (or warning), error, fatal (or critical).')
      .meta({ flag: 'log-level' }),
    format: z.enum(['json']).default('json').describe('Log format; one JSON object per line on stdout.'),
    file: nonEmpty().optional().describe('Also append log lines to this file (unset: stdout only).').meta({ flag: 'log-file' }),
  })
  .describe('Logging.');

const every = (fallback: string, what: string) =>
  duration({ min: '15s', max: '1d' }).prefault(fallback).describe(`How often ${what} runs.`);

const analysis = z
  .strictObject({
    initialDelay: duration({ max: '1h' }).prefault('1m').describe('Delay between start-up and the first run of each analysis.'),
    timeout: duration({ min: '1s', max: '1h' }).prefault('10m').describe('Per-run timeout of one analysis; a run that exceeds it is aborted.'),
    intervals: z
      .strictObject({
        rightsizing: every('15m', 'rightsizing'),
        oomRisk: every('15m', 'the OOM-risk analysis'),
        leaks: every('15m', 'memory-leak detection'),
        forecasts: every('15m', 'capacity forecasting'),
        cost: every('15m', 'cost showback'),
        diagnostics: every('5m', 'the periodic diagnostics pass (watch changes also trigger it)'),
        hygiene: every('1h', 'hygiene and security checks'),
      })
      .prefault({})
      .describe('Cadence of each scheduled analysis.'),
    strategy: z.enum(['krm', 'krr-simple', 'vpa']).default('krm').describe('Rightsizing strategy: `krm` (default), `krr-simple` or `vpa`.'),
    rightsizingWindow: duration({ min: '1h', max: '90d' }).prefault('14d').describe('History window of rightsizing recommendations.'),
    leakWindow: duration({ min: '6h', max: '7d' }).prefault('24h').describe('Window of memory-leak detection.'),
    prices: z
      .strictObject({
        cpuCoreHour: z.number().min(0).default(0.05).describe('Price of one CPU core-hour of requests, for savings and cost.'),
        memoryGiBHour: z.number().min(0).default(0.01).describe('Price of one GiB-hour of memory requests, for savings and cost.'),
        storageGiBHour: z.number().min(0).default(0.001).describe('Price of one GiB-hour of Bound PVC requests, for cost showback.'),
      })
      .prefault({})
      .describe('Prices of requested resources (any currency, per hour).'),
    tenantLabel: nonEmpty().default('tenant').describe('Namespace label whose value names the tenant; an unlabelled namespace is its own tenant.'),
    forecastHorizon: duration({ min: '1h', max: '90d' }).prefault('14d').describe('How far capacity forecasts look ahead; exhaustion within it is reported as a finding.'),
    nodePoolLabel: nonEmpty().default('node.kubernetes.io/instance-type').describe('Node label whose value names the node pool of capacity forecasts; unlabelled nodes count in the cluster only.'),
    forecastWorkers: z
      .number()
      .int()
      .min(0)
      .max(64)
      .optional()
      .describe('Worker threads that run the capacity forecasts while the pass judges namespaces (0: none, the pass forecasts after the namespaces; unset: one per CPU core beyond two, at most 4, so none on two cores).'),
    readWorker: z
      .boolean()
      .optional()
      .describe("A worker thread with its own read-only connection reads and decodes the pass's history of the next namespaces while the pass judges the last one (false: the pass reads in the service's thread; unset: a worker when more than two cores are usable, a CPU quota counted, so that it does not take the cores of the pass and its garbage collector)."),
  })
  .describe('Analysis schedules and settings (REQUIREMENTS §3, §10).');

const alerts = z
  .strictObject({
    evaluationInterval: duration({ min: '15s', max: '1h' }).prefault('30s').describe('How often alert rules are evaluated.'),
    slack: z
      .strictObject({
        webhookUrl: httpUrl().optional().describe('Slack incoming-webhook URL; unset disables Slack.').meta({ env: 'KRM_SLACK_WEBHOOK_URL' }),
        channel: nonEmpty().default('#monitoring').describe('Slack channel named in the payload.').meta({ env: 'KRM_SLACK_CHANNEL' }),
      })
      .prefault({})
      .describe('Slack channel.'),
    smtp: z
      .strictObject({
        host: nonEmpty().optional().describe('SMTP server; unset disables e-mail.').meta({ env: 'KRM_SMTP_HOST' }),
        port: port().default(587).describe('SMTP port (STARTTLS).').meta({ env: 'KRM_SMTP_PORT' }),
        user: nonEmpty().optional().describe('SMTP user name.').meta({ env: 'KRM_SMTP_USER' }),
        password: nonEmpty().optional().describe('SMTP password.').meta({ env: 'KRM_SMTP_PASSWORD' }),
        from: nonEmpty().optional().describe('Sender address of alert e-mails.').meta({ env: 'KRM_MAIL_FROM' }),
        to: z.array(nonEmpty()).default([]).describe('Recipient addresses (comma-separated in the environment).').meta({ env: 'KRM_MAIL_TO' }),
      })
      .prefault({})
      .describe('E-mail channel.'),
    webhook: z
      .strictObject({
        url: httpUrl().optional().describe('Generic webhook receiving alert JSON; unset disables it.').meta({ env: 'KRM_WEBHOOK_URL' }),
      })
      .prefault({})
      .describe('Generic webhook channel.'),
    alertmanager: z
      .strictObject({
        urls: z
          .array(httpUrl())
          .default([])
          .describe('Alertmanager base URLs; alerts go to every one (HA). Comma-separated in the environment.')
          .meta({ env: 'KRM_ALERTMANAGER_URLS' }),
      })
      .prefault({})
      .describe('Alertmanager channel.'),
  })
  .describe('Alert evaluation and delivery channels.');

/** The whole configuration. Parse input is YAML-shaped; every duration comes out in milliseconds. */
export const ConfigSchema = z.strictObject({
  cluster: cluster.prefault({}),
  server: server.prefault({}),
  auth: auth.prefault({}),
  kube: kube.prefault({}),
  collection: collection.prefault({}),
  backfill: backfill.prefault({}),
  prometheus: prometheus.prefault({}),
  store: store.prefault({}),
  retention: retention.prefault({}),
  log: log.prefault({}),
  analysis: analysis.prefault({}),
  alerts: alerts.prefault({}),
});

/**
 * The validated configuration. Durations are numbers of milliseconds (`collection.interval` = 60000 by default);
 * retention tiers are resolved from the profile. Objects returned by `loadConfig` are deep-frozen.
 */
export type Config = z.output<typeof ConfigSchema>;

/** The YAML-file shape accepted before validation (durations as text). */
export type ConfigInput = z.input<typeof ConfigSchema>;
