// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as https from 'node:https';
import { AgentReuse } from './agent-reuse.ts';

/** Request options as KubeConfig.applyToHTTPSOptions leaves them: TLS material plus a fresh agent made from it. */
function options(cert: string, ca = 'ca'): https.RequestOptions {
  const tls = { cert: Buffer.from(cert), key: Buffer.from(`key of ${cert}`), ca: [Buffer.from(ca)] };
  return { ...tls, agent: new https.Agent(tls) };
}

test('the first agent is kept alive and reused while the TLS options are equal; new material gets its own agent', () => {
  const reuse = new AgentReuse();
  const first = options('cert-1');
  reuse.apply(first);
  const kept = first.agent as https.Agent & { keepAlive: boolean };
  assert.equal(kept.keepAlive, true);
  // Equal material in new buffers (KubeConfig reads it again for every request): the kept agent is used.
  const again = options('cert-1');
  reuse.apply(again);
  assert.equal(again.agent, kept);
  // A rotated client certificate, or another CA, must reach the next connection: a new agent, kept from then on.
  const rotated = options('cert-2');
  reuse.apply(rotated);
  assert.notEqual(rotated.agent, kept);
  const next = options('cert-2');
  reuse.apply(next);
  assert.equal(next.agent, rotated.agent);
  const otherCa = options('cert-2', 'another ca');
  reuse.apply(otherCa);
  assert.notEqual(otherCa.agent, rotated.agent);
});

test('options without an agent (no KubeConfig agent to keep) are left as they are', () => {
  const reuse = new AgentReuse();
  const bare: https.RequestOptions = { cert: 'x' };
  reuse.apply(bare);
  assert.equal(bare.agent, undefined);
});
