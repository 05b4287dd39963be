// SPDX-License-Identifier: Apache-2.0
// One kept-alive connection pool per client. KubeConfig.applyToHTTPSOptions() attaches a new agent to every request
// (it carries the TLS material of the moment: a rotated client certificate must reach the next connection), and a
// new agent has no pooled socket: every GET opened a TCP connection, and a TLS handshake against a real API server.
// A cycle of 5,000 nodes through the node proxy paid that 5,000 times, the API server too. Here the agent of the
// first request is kept, made keep-alive, and reused for as long as the TLS options it was made from are unchanged.
import * as http from 'node:http';
import type * as https from 'node:https';

/** The request options an agent is built from (KubeConfig copies exactly these into its agents). */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return a === b;
}

export class AgentReuse {
  private agent: http.Agent | undefined;
  private made: unknown[] = [];

  /** Replaces `options.agent` (just made by KubeConfig) with the kept agent when the TLS options are the same. */
  apply(options: https.RequestOptions): void {
    const tls = TLS_FIELDS.map((f) => options[f]);
    if (this.agent !== undefined && tls.every((v, i) => sameValue(v, this.made[i]))) {
      options.agent = this.agent;
      return;
    }
    const fresh = options.agent;
    if (!(fresh instanceof http.Agent)) return;
    // Sockets of a replaced agent are not destroyed: requests in flight on them finish, and the idle ones close
    // when the server times them out.
    (fresh as http.Agent & { keepAlive: boolean }).keepAlive = true;
    this.agent = fresh;
    this.made = tls;
  }
}
