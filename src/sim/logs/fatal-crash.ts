// SPDX-License-Identifier: Apache-2.0
// How each runtime dies when its database stays unreachable: Node.js's uncaught-rejection report, a Go panic
// with its goroutine dump, a Spring Boot start-up failure with its `Caused by:` chain, a Python traceback. Server
// images die their own way (nginx `[emerg]`, PostgreSQL `PANIC`, Redis and MySQL fatal errors).
import { TEXT_OUTPUT } from './app-format.ts';
import { postgresTime, redisTime, slashTime } from './time-format.ts';
import type { LogEnv } from './types.ts';

function nodeCrash(env: LogEnv): string[] {
  const address = env.dbHost;
  const port = env.dbPort;
  return [
    'node:internal/process/promises:394',
    '    triggerUncaughtException(err, true /* fromPromise */);',
    '    ^',
    '',
    `Error: connect ECONNREFUSED ${address}:${port}`,
    '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1636:16) {',
    '  errno: -111,',
    "  code: 'ECONNREFUSED',",
    "  syscall: 'connect',",
    `  address: '${address}',`,
    `  port: ${port}`,
    '}',
    '',
    'Node.js v20.19.0',
  ];
}

function goCrash(env: LogEnv): string[] {
  return [
    `panic: failed to connect to database: dial tcp ${env.dbHost}:${env.dbPort}: connect: connection refused`,
    '',
    'goroutine 1 [running]:',
    'main.mustOpenDB({0xc0001a2000, 0x3f})',
    `\t/src/cmd/${env.app}/main.go:88 +0x1b4`,
    'main.main()',
    `\t/src/cmd/${env.app}/main.go:41 +0x2a5`,
  ];
}

function javaCause(env: LogEnv): string[] {
  const target = `${env.dbHost}:${env.dbPort}`;
  if (env.dbKind === 'mysql') {
    return [
      'Caused by: com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure',
      '',
      'The last packet sent successfully to the server was 0 milliseconds ago. The driver has not received any packets from the server.',
      '\tat com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:175)',
      '\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:825)',
      '\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)',
      '\t... 28 common frames omitted',
    ];
  }
  return [
    `Caused by: org.postgresql.util.PSQLException: Connection to ${target} refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.`,
    '\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:352)',
    '\tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)',
    '\tat org.postgresql.jdbc.PgConnection.<init>(PgConnection.java:273)',
    '\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)',
    '\t... 24 common frames omitted',
  ];
}

function javaCrash(env: LogEnv, ms: number): string[] {
  return [
    ...TEXT_OUTPUT.format(env, ms, { level: 'ERROR', logger: 'boot', text: 'Application run failed' }),
    '',
    "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'entityManagerFactory' defined in class path resource [org/springframework/boot/autoconfigure/orm/jpa/HibernateJpaConfiguration.class]: Unable to open JDBC Connection for DDL execution",
    '\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1812)',
    '\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.doCreateBean(AbstractAutowireCapableBeanFactory.java:601)',
    '\tat org.springframework.context.support.AbstractApplicationContext.refresh(AbstractApplicationContext.java:619)',
    '\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:335)',
    '\tat com.example.app.Application.main(Application.java:12)',
    ...javaCause(env),
    'Caused by: java.net.ConnectException: Connection refused',
    '\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)',
    '\tat java.base/sun.nio.ch.Net.pollConnectNow(Net.java:682)',
    '\tat java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:542)',
    '\tat java.base/java.net.Socket.connect(Socket.java:751)',
    '\t... 30 common frames omitted',
  ];
}

function pythonCrash(env: LogEnv): string[] {
  const driver = env.dbKind === 'mysql' ? 'pymysql' : 'psycopg2';
  const error =
    env.dbKind === 'mysql'
      ? `pymysql.err.OperationalError: (2003, "Can't connect to MySQL server on '${env.dbHost}' ([Errno 111] Connection refused)")`
      : `psycopg2.OperationalError: connection to server at "${env.dbHost}", port ${env.dbPort} failed: Connection refused`;
  return [
    'Traceback (most recent call last):',
    '  File "/app/main.py", line 27, in <module>',
    '    engine.connect()',
    '  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 3278, in connect',
    '    return self._connection_cls(self)',
    `  File "/usr/local/lib/python3.12/site-packages/${driver}/__init__.py", line 122, in connect`,
    '    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)',
    error,
    ...(env.dbKind === 'mysql' ? [] : ['\tIs the server running on that host and accepting TCP/IP connections?']),
  ];
}

function serverCrash(env: LogEnv, ms: number): string[] {
  switch (env.flavor) {
    case 'nginx':
      return [`${slashTime(ms)} [emerg] 1#1: host not found in upstream "${env.upstreams[0] ?? 'backend:8080'}" in /etc/nginx/conf.d/default.conf:18`, `nginx: [emerg] host not found in upstream "${env.upstreams[0] ?? 'backend:8080'}" in /etc/nginx/conf.d/default.conf:18`];
    case 'postgres':
      return [
        `${postgresTime(ms)} [29] LOG:  invalid record length at 0/1A2B3C8: expected at least 24, got 0`,
        `${postgresTime(ms)} [29] PANIC:  could not locate a valid checkpoint record`,
        `${postgresTime(ms)} [1] LOG:  startup process (PID 29) was terminated by signal 6: Aborted`,
        `${postgresTime(ms)} [1] LOG:  aborting startup due to startup process failure`,
        `${postgresTime(ms)} [1] LOG:  database system is shut down`,
      ];
    case 'redis':
      return [`1:M ${redisTime(ms)} # Can't handle RDB format version 12`, `1:M ${redisTime(ms)} # Fatal error loading the DB, check server logs. Exiting.`];
    default:
      return [
        `${new Date(ms).toISOString().replace('Z', '000Z')} 0 [ERROR] [MY-012574] [InnoDB] Unable to lock ./ibdata1 error: 11`,
        `${new Date(ms).toISOString().replace('Z', '000Z')} 0 [ERROR] [MY-010119] [Server] Aborting`,
      ];
  }
}

/** The lines a crashing container prints last, for its runtime. */
export function crashTrace(env: LogEnv, ms: number): string[] {
  switch (env.flavor) {
    case 'node':
      return nodeCrash(env);
    case 'go':
      return goCrash(env);
    case 'java':
      return javaCrash(env, ms);
    case 'python':
      return pythonCrash(env);
    default:
      return serverCrash(env, ms);
  }
}
