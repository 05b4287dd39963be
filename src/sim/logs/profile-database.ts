// SPDX-License-Identifier: Apache-2.0
// `database`: the server's own log. PostgreSQL (the default) in its stock format with the `%m [%p]` prefix:
// start-up, timed checkpoints, autovacuum, slow statements and, in incidents, constraint violations, dropped
// clients, authentication failures and connection exhaustion. Redis and MySQL images print their own formats.
import { errorBoost } from './incidents.ts';
import type { Rng } from './rng.ts';
import { isoMillis, postgresTime, redisTime } from './time-format.ts';
import type { LogEnv, ProfileContext, ProfileImpl, StartupEntry } from './types.ts';

function pgVersion(env: LogEnv): string {
  return /^\d+\.\d+$/.test(env.version) ? env.version : '16.4';
}

function pg(ms: number, pid: number, text: string): string {
  return `${postgresTime(ms)} [${pid}] ${text}`;
}

function postgresStartup(ctx: ProfileContext): StartupEntry[] {
  const v = pgVersion(ctx.env);
  return [
    { offsetMs: 10, lines: () => ['', 'PostgreSQL Database directory appears to contain a database; Skipping initialization', ''] },
    {
      offsetMs: 180,
      lines: (ms) => [
        pg(ms, 1, `LOG:  starting PostgreSQL ${v} (Debian ${v}-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`),
        pg(ms, 1, 'LOG:  listening on IPv4 address "0.0.0.0", port 5432'),
        pg(ms, 1, 'LOG:  listening on IPv6 address "::", port 5432'),
        pg(ms + 2, 1, 'LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'),
      ],
    },
    { offsetMs: 195, lines: (ms) => [pg(ms, 29, `LOG:  database system was shut down at ${postgresTime(ctx.startedAtMs - 95_000).replace(/\.\d{3}/, '')}`)] },
    { offsetMs: 210, lines: (ms) => [pg(ms, 1, 'LOG:  database system is ready to accept connections')] },
  ];
}

function checkpointComplete(ms: number, rng: Rng): string {
  const buffers = rng.int(5, 4000);
  const write = (buffers / 800 + rng.next()).toFixed(3);
  const lsn = rng.hex(7).toUpperCase();
  return pg(
    ms,
    27,
    `LOG:  checkpoint complete: wrote ${buffers} buffers (${((buffers / 16384) * 100).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${rng.int(0, 2)} recycled; ` +
      `write=${write} s, sync=0.00${rng.int(1, 9)} s, total=${(Number(write) + 0.012).toFixed(3)} s; sync files=${rng.int(3, 60)}, longest=0.00${rng.int(1, 9)} s, ` +
      `average=0.001 s; distance=${rng.int(100, 30000)} kB, estimate=${rng.int(100, 30000)} kB; lsn=0/${lsn}, redo lsn=0/${lsn.slice(0, 5)}28`,
  );
}

const TABLES = ['orders', 'order_items', 'customers', 'products', 'inventory', 'sessions'];

function vacuum(ms: number, rng: Rng): string[] {
  const table = rng.pick(TABLES);
  const pages = rng.int(100, 90000);
  return [
    pg(ms, rng.int(3000, 9000), `LOG:  automatic vacuum of table "app.public.${table}": index scans: 1`),
    `\tpages: 0 removed, ${pages} remain, ${Math.floor(pages / 3)} scanned (33.33% of total)`,
    `\ttuples: ${rng.int(100, 20000)} removed, ${rng.int(10000, 900000)} remain, 0 are dead but not yet removable`,
    `\tavg read rate: ${(rng.next() * 20).toFixed(3)} MB/s, avg write rate: ${(rng.next() * 10).toFixed(3)} MB/s`,
  ];
}

function pgIncident(ms: number, rng: Rng): string[] {
  const pid = rng.int(100, 9000);
  switch (rng.int(0, 4)) {
    case 0: {
      const id = rng.int(1000, 99999);
      return [
        pg(ms, pid, 'ERROR:  duplicate key value violates unique constraint "orders_pkey"'),
        pg(ms, pid, `DETAIL:  Key (id)=(${id}) already exists.`),
        pg(ms, pid, `STATEMENT:  INSERT INTO orders (id, customer_id, total) VALUES (${id}, ${rng.int(1, 9999)}, ${rng.int(5, 900)}.00)`),
      ];
    }
    case 1:
      return [pg(ms, pid, 'LOG:  could not receive data from client: Connection reset by peer')];
    case 2:
      return [
        pg(ms, pid, 'FATAL:  password authentication failed for user "app"'),
        pg(ms, pid, 'DETAIL:  Connection matched file "/var/lib/postgresql/data/pg_hba.conf" line 128: "host all all all scram-sha-256"'),
      ];
    case 3:
      return [pg(ms, pid, 'FATAL:  sorry, too many clients already')];
    default:
      return [
        pg(ms, pid, 'ERROR:  deadlock detected'),
        pg(ms, pid, `DETAIL:  Process ${pid} waits for ShareLock on transaction ${rng.int(10000, 99999)}; blocked by process ${pid + 7}.`),
        pg(ms, pid, 'HINT:  See server log for query details.'),
        pg(ms, pid, `CONTEXT:  while updating tuple (${rng.int(0, 999)},${rng.int(1, 60)}) in relation "inventory"`),
        pg(ms, pid, `STATEMENT:  UPDATE inventory SET quantity = quantity - 1 WHERE product_id = ${rng.int(1, 9999)}`),
      ];
  }
}

function postgresEntry(ctx: ProfileContext, ms: number, rng: Rng): string[] {
  const kind = rng.weighted([
    ['checkpoint-start', 10],
    ['checkpoint-done', 10],
    ['vacuum', 6],
    ['slow', 3 * errorBoost(ctx, ms)],
    ['incident', 1.5 * errorBoost(ctx, ms)],
  ] as const);
  if (kind === 'checkpoint-start') return [pg(ms, 27, 'LOG:  checkpoint starting: time')];
  if (kind === 'checkpoint-done') return [checkpointComplete(ms, rng)];
  if (kind === 'vacuum') return vacuum(ms, rng);
  if (kind === 'incident') return pgIncident(ms, rng);
  const table = rng.pick(TABLES);
  return [
    pg(ms, rng.int(100, 9000), `LOG:  duration: ${(1000 + rng.next() * 9000).toFixed(3)} ms  statement: SELECT * FROM ${table} WHERE updated_at > now() - interval '1 day' ORDER BY id`),
  ];
}

const POSTGRES: ProfileImpl = { entriesPerMinute: 4, startup: postgresStartup, entry: postgresEntry, ending: () => [] };

function rd(ms: number, role: string, text: string): string {
  return `${role} ${redisTime(ms)} ${text}`;
}

function redisStartup(): StartupEntry[] {
  return [
    {
      offsetMs: 15,
      lines: (ms) => [
        rd(ms, '1:C', '* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
        rd(ms, '1:C', '* Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started'),
        rd(ms, '1:C', '# Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf'),
        rd(ms + 1, '1:M', '* monotonic clock: POSIX clock_gettime'),
        rd(ms + 1, '1:M', '* Running mode=standalone, port=6379.'),
        rd(ms + 2, '1:M', '* Server initialized'),
      ],
    },
    {
      offsetMs: 40,
      lines: (ms) => [
        rd(ms, '1:M', '* Loading RDB produced by version 7.2.5'),
        rd(ms, '1:M', '* Done loading RDB, keys loaded: 15231, keys expired: 12.'),
        rd(ms, '1:M', '* DB loaded from disk: 0.012 seconds'),
        rd(ms + 1, '1:M', '* Ready to accept connections tcp'),
      ],
    },
  ];
}

function redisEntry(ctx: ProfileContext, ms: number, rng: Rng): string[] {
  const child = `${rng.int(20, 900)}:C`;
  if (rng.chance(0.05 * errorBoost(ctx, ms))) {
    return [rd(ms, '1:M', `# Client id=${rng.int(10, 9999)} addr=10.244.${rng.int(0, 9)}.${rng.int(2, 250)}:${rng.int(30000, 60000)} closed for overcoming of output buffer limits.`)];
  }
  return [
    rd(ms, '1:M', '* 100 changes in 300 seconds. Saving...'),
    rd(ms, '1:M', `* Background saving started by pid ${child.split(':')[0] ?? ''}`),
    rd(ms + 40, child, '* DB saved on disk'),
    rd(ms + 41, child, `* Fork CoW for RDB: current ${rng.int(0, 4)} MB, peak ${rng.int(0, 4)} MB, average 0 MB`),
    rd(ms + 60, '1:M', '* Background saving terminated with success'),
  ];
}

const REDIS: ProfileImpl = { entriesPerMinute: 0.4, startup: redisStartup, entry: redisEntry, ending: () => [] };

function my(ms: number, thread: number, text: string): string {
  return `${isoMillis(ms).replace('Z', '')}${String(ms % 997).padStart(3, '0')}Z ${thread} ${text}`;
}

function mysqlStartup(): StartupEntry[] {
  return [
    {
      offsetMs: 900,
      lines: (ms) => [
        my(ms, 0, '[System] [MY-015015] [Server] MySQL Server - start.'),
        my(ms + 90, 0, '[System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.4.2) starting as process 1'),
        my(ms + 120, 1, '[System] [MY-013576] [InnoDB] InnoDB initialization has started.'),
        my(ms + 800, 1, '[System] [MY-013577] [InnoDB] InnoDB initialization has ended.'),
        my(ms + 1100, 0, "[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.2'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."),
      ],
    },
  ];
}

function mysqlEntry(ctx: ProfileContext, ms: number, rng: Rng): string[] {
  const host = `10.244.${rng.int(0, 9)}.${rng.int(2, 250)}`;
  if (rng.chance(0.5)) return [my(ms, 0, `[Warning] [MY-010055] [Server] IP address '${host}' could not be resolved: Name or service not known`)];
  const why = errorBoost(ctx, ms) > 1 ? 'Got timeout reading communication packets' : 'Got an error reading communication packets';
  return [my(ms, rng.int(8, 9000), `[Note] [MY-010914] [Server] Aborted connection ${rng.int(8, 9000)} to db: 'app' user: 'app' host: '${host}' (${why}).`)];
}

const MYSQL: ProfileImpl = { entriesPerMinute: 1, startup: mysqlStartup, entry: mysqlEntry, ending: () => [] };

export function databaseProfile(env: LogEnv): ProfileImpl {
  if (env.flavor === 'redis') return REDIS;
  if (env.flavor === 'mysql') return MYSQL;
  return POSTGRES;
}
