// SPDX-License-Identifier: Apache-2.0
// Cluster access: the only importer of @kubernetes/client-node. KubeConfig loads the configuration and computes
// each request's credentials (bearer token, client certificate, basic auth, exec plugin, auth provider); the
// requests themselves go through node:http(s), so one code path serves every authentication method and the
// list/watch semantics stay ours (a 1.x → 2.x client upgrade is a change to this file only).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type User } from '@kubernetes/client-node';
import { ConfigError } from '../../errors/app-error.ts';
import { pathWithQuery, type KubeHttp, type KubeHttpResponse } from './kube-http.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import { sleep as defaultSleep, type Sleep } from '../../runtime/sleep.ts';
import { AgentReuse } from './agent-reuse.ts';

/** Where the kubelet mounts a pod's ServiceAccount token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Bound ServiceAccount tokens rotate (the kubelet refreshes the file at 80 % of a one-hour lifetime), so the file
 * must be re-read at least every 60 s; 50 s keeps a margin.
 */
export const TOKEN_REREAD_MS = 50_000;

export interface KubeClientOptions {
  /** A kubeconfig file; default: `KUBECONFIG` (a path list, merged), then `~/.kube/config`, then in-cluster. */
  readonly kubeconfigPath?: string;
  /** A kubeconfig as YAML text (the demo's in-process simulator, tests). Wins over `kubeconfigPath`. */
  readonly kubeconfigYaml?: string;
  /** The kubeconfig context to use (`--context`); default: the file's current-context. */
  readonly context?: string;
  /** Force in-cluster ServiceAccount credentials, ignoring any kubeconfig file. */
  readonly inCluster?: boolean;
  /** Directory of the mounted ServiceAccount (default {@link SERVICE_ACCOUNT_DIR}); tests point it elsewhere. */
  readonly serviceAccountDir?: string;
  /** Environment (default `process.env`): `KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`/`_PORT`. */
  readonly env?: Env;
  /** Client-side rate limit in requests per second (default 50; 0 disables). */
  readonly qps?: number;
  /** Burst above `qps` (default 100). */
  readonly burst?: number;
  /** Wall clock for the token re-read period and the rate limiter (injected in tests). */
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

/** An authenticated, rate-limited connection to one cluster. */
export interface KubeClient {
  /** The API server's base URL. */
  readonly server: string;
  /** The kubeconfig context in use (`in-cluster` for ServiceAccount credentials). */
  readonly contextName: string;
  /** One GET against the API server; see {@link KubeHttp}. */
  readonly request: KubeHttp;
}

type KubeAuthenticator = Parameters<KubeConfig['addAuthenticator']>[0];
type Env = Readonly<Record<string, string | undefined>>;

const SA_PROVIDER = 'krm-service-account';

/** Re-reads the ServiceAccount token file on a timer of our own (client-node's FileAuth waits "more than 60 s"). */
function serviceAccountAuth(clock: Clock): KubeAuthenticator {
  let token = '';
  let readAtMs = Number.NEGATIVE_INFINITY;
  return {
    isAuthProvider: (user: User) => (user.authProvider as { name?: unknown } | undefined)?.name === SA_PROVIDER,
    async applyAuthentication(user: User, opts: https.RequestOptions) {
      const path = (user.authProvider as { config: { path: string } }).config.path;
      if (clock.now() - readAtMs >= TOKEN_REREAD_MS) {
        token = (await readFile(path, 'utf8')).trim();
        readAtMs = clock.now();
      }
      opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
    },
  };
}

function loadInCluster(kc: KubeConfig, opts: KubeClientOptions, env: Env): void {
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  // The kubelet injects KUBERNETES_SERVICE_HOST/PORT into every container; the Service DNS name is the fallback.
  const server = host ? `https://${host.includes(':') ? `[${host}]` : host}:${port}` : 'https://kubernetes.default.svc:443';
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'in-cluster', authProvider: { name: SA_PROVIDER, config: { path: join(dir, 'token') } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster' }],
    currentContext: 'in-cluster',
  });
  kc.addAuthenticator(serviceAccountAuth(opts.clock ?? systemClock));
}

/** `KUBECONFIG` is a path list; kubectl's rule is that the first file to set a value wins, current-context included. */
function loadKubeconfigList(kc: KubeConfig, list: string): void {
  const files = list.split(delimiter).filter((f) => f !== '');
  kc.loadFromFile(files[0] as string);
  for (const file of files.slice(1)) {
    const next = new KubeConfig();
    next.loadFromFile(file);
    // client-node's mergeConfig throws on a name both files define; kubectl keeps the first definition.
    for (const c of next.clusters) if (!kc.getCluster(c.name)) kc.addCluster(c);
    for (const u of next.users) if (!kc.getUser(u.name)) kc.addUser(u);
    for (const x of next.contexts) if (!kc.getContextObject(x.name)) kc.addContext(x);
    if (!kc.currentContext) kc.setCurrentContext(next.currentContext);
  }
}

/** Picks the source in kubectl's order: explicit file, `KUBECONFIG`, `~/.kube/config`, then in-cluster. */
function loadSource(kc: KubeConfig, opts: KubeClientOptions): void {
  const env = opts.env ?? process.env;
  const homeConfig = join(env.HOME ?? homedir(), '.kube', 'config');
  const tokenPath = join(opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, 'token');
  if (opts.kubeconfigYaml !== undefined) kc.loadFromString(opts.kubeconfigYaml);
  else if (opts.inCluster) loadInCluster(kc, opts, env);
  else if (opts.kubeconfigPath !== undefined) kc.loadFromFile(opts.kubeconfigPath);
  else if (env.KUBECONFIG) loadKubeconfigList(kc, env.KUBECONFIG);
  else if (existsSync(homeConfig)) kc.loadFromFile(homeConfig);
  else if (existsSync(tokenPath)) loadInCluster(kc, opts, env);
  else throw new Error(`no kubeconfig (KUBECONFIG, ${homeConfig}) and no in-cluster ServiceAccount token (${tokenPath})`);
}

/**
 * Loads the configuration and selects the context. Throws ConfigError (exit code 2) for an unknown context or a
 * configuration without a cluster.
 */
export function loadKubeConfig(opts: KubeClientOptions): KubeConfig {
  const kc = new KubeConfig();
  try {
    loadSource(kc, opts);
  } catch (err) {
    throw new ConfigError('KRM_CONFIG_INVALID', 'cannot load the kubeconfig', { cause: err });
  }
  if (opts.context !== undefined) {
    if (!kc.getContextObject(opts.context)) {
      throw new ConfigError('KRM_CONFIG_INVALID', 'the kubeconfig has no such context', { details: { context: opts.context } });
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) throw new ConfigError('KRM_CONFIG_INVALID', 'the kubeconfig context names no cluster');
  allowPlainHttp(kc);
  return kc;
}

/**
 * client-node refuses `http://` servers unless `skipTLSVerify` is set ("HTTP protocol is not allowed …"), while
 * kubectl accepts them (`kubectl proxy`, the simulator without TLS). There is no TLS to verify on such a
 * connection, so the flag changes nothing but the library's check.
 */
function allowPlainHttp(kc: KubeConfig): void {
  kc.clusters = kc.clusters.map((c: Cluster) => (c.server.startsWith('http:') && !c.skipTLSVerify ? { ...c, skipTLSVerify: true } : c));
}

function wrapResponse(res: http.IncomingMessage): KubeHttpResponse {
  return {
    status: res.statusCode ?? 0,
    body: res,
    async text() {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    discard() {
      res.destroy();
    },
  };
}

function send(url: URL, options: https.RequestOptions, signal: AbortSignal): Promise<KubeHttpResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { ...options, method: 'GET', signal }, (res) => resolve(wrapResponse(res)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Creates the client: loads the configuration (see {@link loadKubeConfig}) and returns a request function that
 * waits for the rate limiter, asks KubeConfig for fresh credentials (exec plugins and token files refresh here)
 * and sends the GET. Does no I/O until the first request.
 */
export function createKubeClient(opts: KubeClientOptions = {}): KubeClient {
  const kc = loadKubeConfig(opts);
  const cluster = kc.getCurrentCluster() as Cluster;
  const base = cluster.server.replace(/\/+$/, '');
  const limiter = createRateLimiter({ qps: opts.qps, burst: opts.burst, clock: opts.clock, sleep: opts.sleep ?? defaultSleep });
  const agents = new AgentReuse();
  const request: KubeHttp = async (req) => {
    await limiter.acquire(req.signal);
    req.signal.throwIfAborted();
    const options: https.RequestOptions = { headers: { Accept: 'application/json', 'User-Agent': 'kube-resource-monitor' } };
    await kc.applyToHTTPSOptions(options);
    agents.apply(options);
    return send(new URL(base + pathWithQuery(req)), options, req.signal);
  };
  return { server: base, contextName: kc.getCurrentContext(), request };
}
