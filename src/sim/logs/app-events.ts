// SPDX-License-Identifier: Apache-2.0
// Building blocks of application logs shared by the profiles: HTTP request lines, the error texts each runtime
// prints for a refused connection or a timeout, and the short stack traces that follow an ERROR in Java, Node.js
// and Python services (Go services log errors without one).
import type { AppEvent } from './app-format.ts';
import type { Rng } from './rng.ts';
import type { LogEnv } from './types.ts';

const PATHS = [
  '/api/v1/orders',
  '/api/v1/orders/{id}',
  '/api/v1/products',
  '/api/v1/products/{id}',
  '/api/v1/cart',
  '/api/v1/checkout',
  '/api/v1/users/{id}',
  '/api/v1/search',
];

export function requestPath(rng: Rng): string {
  return rng.pick(PATHS).replace('{id}', String(rng.int(1000, 99999)));
}

export function methodFor(path: string, rng: Rng): string {
  if (path.endsWith('/checkout')) return 'POST';
  if (path.endsWith('/cart')) return rng.pick(['POST', 'POST', 'GET', 'DELETE']);
  return rng.weighted([
    ['GET', 85],
    ['POST', 8],
    ['PUT', 5],
    ['DELETE', 2],
  ]);
}

/** What a Python client library raises for a refused connection, by the port it dialled. */
function pythonRefused(host: string, port: string): string {
  switch (port) {
    case '5432':
      return `psycopg2.OperationalError: connection to server at "${host}", port 5432 failed: Connection refused`;
    case '3306':
      return `pymysql.err.OperationalError: (2003, "Can't connect to MySQL server on '${host}' ([Errno 111] Connection refused)")`;
    case '6379':
      return `redis.exceptions.ConnectionError: Error 111 connecting to ${host}:6379. Connection refused.`;
    default:
      return (
        `requests.exceptions.ConnectionError: HTTPConnectionPool(host='${host}', port=${port}): Max retries exceeded with ` +
        `url: /v1/status (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3c2a1b4d90>: ` +
        `Failed to establish a new connection: [Errno 111] Connection refused'))`
      );
  }
}

/** `connect ECONNREFUSED 10.96.0.12:5432` and its equivalents. */
export function connRefused(env: LogEnv, hostPort: string): string {
  const [host = '', port = ''] = hostPort.split(':');
  switch (env.flavor) {
    case 'node':
      return `connect ECONNREFUSED ${hostPort}`;
    case 'java':
      return `java.net.ConnectException: Connection refused (${hostPort})`;
    case 'python':
      return pythonRefused(host, port);
    default:
      return `dial tcp ${hostPort}: connect: connection refused`;
  }
}

/** A read timeout calling `target` after `timeoutMs`. */
export function timeoutText(env: LogEnv, target: string, timeoutMs: number): string {
  const [host = '', port = ''] = target.split(':');
  switch (env.flavor) {
    case 'node':
      return `timeout of ${timeoutMs}ms exceeded`;
    case 'java':
      return 'java.net.SocketTimeoutException: Read timed out';
    case 'python':
      return `requests.exceptions.ReadTimeout: HTTPConnectionPool(host='${host}', port=${port}): Read timed out. (read timeout=${timeoutMs / 1000})`;
    default:
      return `Get "http://${target}/v1/status": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
  }
}

const NODE_FRAMES = [
  '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)',
  '    at RedirectableRequest.handleRequestError (/app/node_modules/follow-redirects/index.js:49:14)',
  '    at Axios.request (/app/node_modules/axios/dist/node/axios.cjs:4252:41)',
  '    at async OrdersService.fetchUpstream (/app/dist/services/orders.js:88:24)',
  '    at async /app/dist/routes/orders.js:31:22',
];

const JAVA_FRAMES = [
  '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)',
  '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:304)',
  '\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)',
  '\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:880)',
  '\tat com.example.app.client.UpstreamClient.fetch(UpstreamClient.java:57)',
  '\tat com.example.app.web.OrderController.get(OrderController.java:42)',
];

/** The stack trace lines an ERROR event carries in this runtime (empty for Go). */
export function shortStack(env: LogEnv, error: string, rng: Rng): string[] {
  const depth = rng.int(3, 5);
  switch (env.flavor) {
    case 'node':
      return [`Error: ${error}`, ...NODE_FRAMES.slice(0, depth)];
    case 'java':
      return [error, ...JAVA_FRAMES.slice(0, depth), `\t... ${rng.int(40, 90)} common frames omitted`];
    case 'python':
      return [
        'Traceback (most recent call last):',
        '  File "/app/app/clients.py", line 64, in fetch',
        '    resp = self.session.get(url, timeout=self.timeout)',
        '  File "/usr/local/lib/python3.12/site-packages/requests/sessions.py", line 602, in get',
        "    return self.request('GET', url, **kwargs)",
        error,
      ];
    default:
      return [];
  }
}

/** One access-log style request line of an application server, with realistic status and latency mix. */
export function requestEvent(_env: LogEnv, rng: Rng, errorBoost: number): AppEvent {
  const path = rng.chance(0.12) ? rng.pick(['/healthz', '/readyz', '/metrics']) : requestPath(rng);
  const method = path.startsWith('/api') ? methodFor(path, rng) : 'GET';
  const status = rng.weighted([
    [200, 80],
    [201, method === 'POST' ? 10 : 0],
    [204, method === 'DELETE' ? 5 : 0],
    [304, 3],
    [400, 2],
    [401, 1],
    [404, 3],
    [500, 0.6 * errorBoost],
    [502, 0.3 * errorBoost],
    [503, 0.5 * errorBoost],
    [504, 0.4 * errorBoost],
  ] as const);
  const durationMs = status >= 500 ? rng.int(800, 30000) : Math.round(2 + rng.next() ** 3 * 900);
  return {
    level: status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO',
    logger: 'http',
    text: `${method} ${path} ${status} ${durationMs}ms`,
    msg: 'request completed',
    fields: { method, path, status, duration_ms: durationMs, request_id: rng.hex(16) },
    thread: `nio-8080-exec-${rng.int(1, 10)}`,
  };
}

/** A call to an upstream service failing: refused, timed out, or answered 503. */
export function upstreamFailure(env: LogEnv, rng: Rng): AppEvent {
  const upstream = rng.pick(env.upstreams);
  const kind = rng.weighted([
    ['refused', 3],
    ['timeout', 4],
    ['unavailable', 2],
  ] as const);
  const error =
    kind === 'refused'
      ? connRefused(env, `10.96.${rng.int(0, 3)}.${rng.int(2, 250)}:8080`)
      : kind === 'timeout'
        ? timeoutText(env, upstream, 5000)
        : `upstream ${upstream} responded 503 Service Unavailable`;
  const name = upstream.split(':')[0] ?? upstream;
  return {
    level: 'ERROR',
    logger: 'client',
    text: `call to ${name} failed: ${error}`,
    msg: 'upstream call failed',
    fields: { upstream: name, error },
    stack: kind === 'unavailable' ? undefined : shortStack(env, error, rng),
  };
}

/** A retry notice, the WARN that precedes most upstream errors. */
export function retryEvent(env: LogEnv, rng: Rng): AppEvent {
  const name = rng.pick(env.upstreams).split(':')[0] ?? 'upstream';
  const attempt = rng.int(1, 3);
  const delayMs = 100 * 2 ** attempt;
  return {
    level: 'WARN',
    logger: 'client',
    text: `request to ${name} failed (attempt ${attempt}/3), retrying in ${delayMs}ms`,
    msg: 'retrying request',
    fields: { upstream: name, attempt, delay_ms: delayMs },
  };
}
