// SPDX-License-Identifier: Apache-2.0
// How each runtime refuses to start on bad configuration (a missing environment variable or a broken config
// file): the output of a container that exits 1 within a second of starting, again and again, in CrashLoopBackOff.
import { TEXT_OUTPUT } from './app-format.ts';
import { redisTime, slashTime } from './time-format.ts';
import type { LogEnv } from './types.ts';

function nodeConfigError(): string[] {
  return [
    '/app/dist/config.js:27',
    '    throw new Error(`Missing required environment variable: ${name}`);',
    '    ^',
    '',
    'Error: Missing required environment variable: DATABASE_URL',
    '    at requireEnv (/app/dist/config.js:27:11)',
    '    at Object.<anonymous> (/app/dist/config.js:41:16)',
    '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
    '    at Object..js (node:internal/modules/cjs/loader:1706:10)',
    '    at Module.load (node:internal/modules/cjs/loader:1289:32)',
    '    at Function._load (node:internal/modules/cjs/loader:1108:12)',
    '    at TracingChannel.traceSync (node:diagnostics_channel:322:14)',
    '    at wrapModuleLoad (node:internal/modules/cjs/loader:220:24)',
    '    at Module.require (node:internal/modules/cjs/loader:1311:12)',
    '    at require (node:internal/modules/helpers:136:16)',
    '',
    'Node.js v20.19.0',
  ];
}

function javaConfigError(env: LogEnv, ms: number): string[] {
  return [
    ...TEXT_OUTPUT.format(env, ms, { level: 'ERROR', logger: 'config', text: '' }),
    '',
    '***************************',
    'APPLICATION FAILED TO START',
    '***************************',
    '',
    'Description:',
    '',
    "Failed to bind properties under 'app.datasource.url' to java.lang.String:",
    '',
    '    Reason: Property app.datasource.url is required but was not set',
    '',
    'Action:',
    '',
    "Update your application's configuration",
    '',
  ];
}

function pythonConfigError(): string[] {
  return [
    'Traceback (most recent call last):',
    '  File "/app/main.py", line 12, in <module>',
    '    from app.settings import settings',
    '  File "/app/app/settings.py", line 31, in <module>',
    '    DATABASE_URL = os.environ["DATABASE_URL"]',
    '                   ~~~~~~~~~~^^^^^^^^^^^^^^^^',
    '  File "<frozen os>", line 714, in __getitem__',
    "KeyError: 'DATABASE_URL'",
  ];
}

function goConfigError(env: LogEnv, ms: number): string[] {
  return [
    `time="${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}" level=fatal msg="failed to load configuration: open /etc/${env.app}/config.yaml: no such file or directory"`,
  ];
}

function serverConfigError(env: LogEnv, ms: number): string[] {
  switch (env.flavor) {
    case 'nginx':
      return [
        `${slashTime(ms)} [emerg] 1#1: unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:14`,
        'nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:14',
      ];
    case 'postgres':
      return [
        'Error: Database is uninitialized and superuser password is not specified.',
        '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
        '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
      ];
    case 'redis':
      return [
        `1:C ${redisTime(ms)} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        '',
        '*** FATAL CONFIG FILE ERROR (Redis 7.2.5) ***',
        'Reading the configuration file, at line 12',
        ">>> 'maxmemory-policy allkeys-lruu'",
        'Invalid maxmemory policy',
      ];
    default:
      return [
        `${new Date(ms).toISOString().slice(0, 19)}+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
        '    You need to specify one of the following as an environment variable:',
        '    - MYSQL_ROOT_PASSWORD',
        '    - MYSQL_ALLOW_EMPTY_PASSWORD',
        '    - MYSQL_RANDOM_ROOT_PASSWORD',
      ];
  }
}

/** The last lines of a container that rejects its configuration. */
export function configErrorTrace(env: LogEnv, ms: number): string[] {
  switch (env.flavor) {
    case 'node':
      return nodeConfigError();
    case 'java':
      return javaConfigError(env, ms);
    case 'python':
      return pythonConfigError();
    case 'go':
      return goConfigError(env, ms);
    default:
      return serverConfigError(env, ms);
  }
}
