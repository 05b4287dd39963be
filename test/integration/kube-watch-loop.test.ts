// SPDX-License-Identifier: Apache-2.0
// The list/watch loop against the fault-injecting fake API server over real HTTP on loopback: pagination, expired
// continue tokens, 410 as HTTP status and as ERROR event, dropped connections with backoff, stalls caught by the
// watchdog, bookmarks, shutdown.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKubeClient } from '../../src/sources/kube/client.ts';
import { createSemaphore, type Semaphore } from '../../src/sources/kube/semaphore.ts';
import { createWatchLoop, type WatchLoop, type WatchSink, type WatchTuning } from '../../src/sources/kube/watch-loop.ts';
import { FakeApiServer, type FakeObject } from '../fakes/fake-api-server.ts';
import { RecordingLogger } from '../../src/logging/recording-logger.ts';
import { recordingSleep, until } from '../fakes/wait.ts';

const PATH = '/api/v1/configmaps';

interface Item {
  key: string;
  resourceVersion: string;
  data?: unknown;
}

function mapSink(): WatchSink<Item> & { map: Map<string, Item>; replaces: number } {
  const map = new Map<string, Item>();
  return {
    map,
    replaces: 0,
    replace(items) {
      this.replaces++;
      map.clear();
      for (const i of items) map.set(i.key, i);
    },
    upsert: (i) => void map.set(i.key, i),
    remove: (i) => void map.delete(i.key),
    get size() {
      return map.size;
    },
  };
}

function project(raw: unknown): Item | undefined {
  const o = raw as FakeObject;
  if (!o?.metadata?.name) return undefined;
  return { key: `${o.metadata.namespace}/${o.metadata.name}`, resourceVersion: String(o.metadata.resourceVersion), data: o.data };
}

function cm(name: string, data: Record<string, string> = {}): FakeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

interface Harness {
  loop: WatchLoop;
  sink: ReturnType<typeof mapSink>;
  log: RecordingLogger;
  delays: number[];
  stop(): Promise<void>;
}

let fake: FakeApiServer;
let harnesses: Harness[] = [];

beforeEach(async () => {
  fake = await FakeApiServer.start();
});

afterEach(async () => {
  for (const h of harnesses) await h.stop();
  harnesses = [];
  await fake.close();
});

function startLoop(opts: { tuning?: Partial<WatchTuning>; gate?: Semaphore; random?: () => number } = {}): Harness {
  const client = createKubeClient({ kubeconfigYaml: fake.kubeconfigYaml(), qps: 0 });
  const sink = mapSink();
  const log = new RecordingLogger();
  const { delays, sleep } = recordingSleep();
  const loop = createWatchLoop({
    kind: 'configmaps',
    path: PATH,
    http: client.request,
    project,
    sink,
    relistGate: opts.gate ?? createSemaphore(1),
    log,
    sleep,
    random: opts.random ?? (() => 0.5),
    tuning: { pageLimit: 3, ...opts.tuning },
  });
  const controller = new AbortController();
  const running = loop.run(controller.signal);
  const h: Harness = {
    loop,
    sink,
    log,
    delays,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
  harnesses.push(h);
  return h;
}

test('paginated list, then a watch from the list version with bookmarks and a randomized timeout', async () => {
  for (let i = 0; i < 7; i++) fake.upsert(PATH, cm(`cm-${i}`));
  const h = startLoop();
  await until(() => fake.openWatches(PATH) === 1, 'watch open');
  assert.ok(h.loop.hasSynced());
  assert.equal(h.sink.size, 7);
  const lists = fake.requestsOf(PATH, 'list');
  assert.deepEqual(
    lists.map((r) => [r.query.limit, r.query.continue]),
    [
      ['3', undefined],
      ['3', `3:${fake.resourceVersion}`],
      ['3', `6:${fake.resourceVersion}`],
    ],
  );
  const [watch] = fake.requestsOf(PATH, 'watch');
  assert.equal(watch?.query.resourceVersion, fake.resourceVersion);
  assert.equal(watch?.query.allowWatchBookmarks, 'true');
  assert.equal(watch?.query.timeoutSeconds, '450', 'random 0.5 → midway between 300 and 600');
  assert.equal(h.log.of('watch.synced').length, 1);
});

test('watch events update the sink; the state reports objects, events and the version', async () => {
  fake.upsert(PATH, cm('a'));
  const h = startLoop();
  await until(() => fake.openWatches(PATH) === 1, 'watch open');
  fake.upsert(PATH, cm('b'));
  fake.upsert(PATH, cm('a', { changed: 'yes' }));
  fake.delete(PATH, 'default', 'b');
  await until(() => h.loop.state().eventsApplied === 3, 'three events');
  assert.deepEqual([...h.sink.map.keys()], ['default/a']);
  assert.deepEqual(h.sink.map.get('default/a')?.data, { changed: 'yes' });
  const s = h.loop.state();
  assert.equal(s.objects, 1);
  assert.equal(s.resourceVersion, fake.resourceVersion);
  assert.equal(s.phase, 'watching');
  assert.ok(s.lastEventAtMs !== undefined);
  assert.equal(s.relists, 0);
  assert.equal(s.restarts, 0);
});

test('an expired continue token restarts the list from the first page', async () => {
  for (let i = 0; i < 7; i++) fake.upsert(PATH, cm(`cm-${i}`));
  fake.expireContinueTokens(PATH, 1);
  const h = startLoop();
  await until(() => h.loop.hasSynced(), 'synced');
  const lists = fake.requestsOf(PATH, 'list').map((r) => r.query.continue?.split(':')[0] ?? 'first');
  assert.deepEqual(lists, ['first', '3', 'first', '3', '6']);
  assert.equal(h.sink.size, 7);
  assert.equal(h.log.of('kube.list.restarted').length, 1);
  assert.equal(h.delays.length, 0, 'a restart is not a failure');
});

test('continue tokens that keep expiring end in a backoff, then the list succeeds', async () => {
  for (let i = 0; i < 7; i++) fake.upsert(PATH, cm(`cm-${i}`));
  fake.expireContinueTokens(PATH, 4);
  const h = startLoop({ tuning: { listMaxRestarts: 3 } });
  await until(() => h.loop.hasSynced(), 'synced');
  assert.equal(h.delays.length, 1);
  assert.equal(h.loop.state().lastError?.code, 'KRM_KUBE_LIST_EXPIRED');
});

test('an ERROR event with a 410 Status relists; changes made meanwhile are in the new list', async () => {
  fake.upsert(PATH, cm('a'));
  const h = startLoop();
  await until(() => fake.openWatches(PATH) === 1, 'watch open');
  fake.injectWatchFault(PATH, { type: 'gone-event' });
  fake.compact();
  fake.upsert(PATH, cm('late'));
  fake.endWatches();
  await until(() => h.loop.state().relists === 1 && fake.openWatches(PATH) === 1, 'relist and new watch');
  assert.deepEqual([...h.sink.map.keys()].sort(), ['default/a', 'default/late']);
  assert.equal(h.log.of('watch.relist')[0]?.reason, 'expired');
  assert.equal(h.delays.length, 0, 'the first 410 relists without a pause');
  assert.equal(h.sink.replaces, 2);
});

test('a watch resumed from a compacted version gets an ERROR 410 and relists', async () => {
  fake.upsert(PATH, cm('a'));
  const h = startLoop();
  await until(() => fake.openWatches(PATH) === 1, 'watch open');
  fake.upsert(PATH, cm('b'));
  await until(() => h.sink.size === 2, 'event b');
  const resumeRv = h.loop.state().resourceVersion;
  // Changes elsewhere move the version past the loop's, then compaction forgets them.
  fake.upsert('/api/v1/secrets', cm('s1'));
  fake.upsert('/api/v1/secrets', cm('s2'));
  fake.compact();
  fake.endWatches();
  await until(() => h.loop.state().relists === 1 && fake.openWatches(PATH) === 1, 'relist, then a new watch');
  const watches = fake.requestsOf(PATH, 'watch').map((r) => r.query.resourceVersion);
  assert.deepEqual(watches.slice(0, 2), [watches[0], resumeRv]);
  assert.equal(watches[2], fake.resourceVersion, 'the new watch starts from the new list');
  assert.equal(h.sink.size, 2);
  assert.equal(h.log.of('watch.relist')[0]?.reason, 'expired');
});

test('HTTP 410 on the watch request relists; a second 410 in a row backs off first', async () => {
  fake.upsert(PATH, cm('a'));
  fake.injectWatchFault(PATH, { type: 'gone-http' }, { type: 'gone-http' });
  const h = startLoop();
  await until(() => h.loop.state().relists === 2 && fake.openWatches(PATH) === 1, 'two relists, then a watch');
  assert.equal(h.log.of('watch.relist').length, 2);
  assert.deepEqual(h.delays, [500], 'only the repeated 410 waited');
});

test('a dropped connection reconnects from the last version with growing backoff, reset by an event', async () => {
  fake.upsert(PATH, cm('a'));
  fake.injectWatchFault(PATH, { type: 'drop', after: 1 }, { type: 'drop' }, { type: 'drop' });
  const h = startLoop();
  await until(() => fake.openWatches(PATH) === 1, 'first watch open');
  const lastRv = fake.upsert(PATH, cm('b')).metadata.resourceVersion;
  await until(() => fake.requestsOf(PATH, 'watch').length === 4 && fake.openWatches(PATH) === 1, 'fourth watch');
  const resumed = fake.requestsOf(PATH, 'watch').slice(1).map((r) => r.query.resourceVersion);
  assert.deepEqual(resumed, [lastRv, lastRv, lastRv], 'every reconnect resumes from the last event, no relist');
  // random() = 0.5: half of the ceiling; the event before the first drop reset the backoff.
  assert.deepEqual(h.delays, [500, 1000, 2000]);
  assert.equal(h.loop.state().relists, 0);
  assert.equal(h.loop.state().restarts, 3);
  fake.upsert(PATH, cm('c'));
  await until(() => h.sink.size === 3, 'event c');
  fake.injectWatchFault(PATH, { type: 'drop' });
  fake.endWatches();
  await until(() => h.delays.length === 4, 'backoff after reset');
  assert.equal(h.delays[3], 500, 'the event reset the backoff');
});

test('backoff is capped at 30 s', async () => {
  fake.upsert(PATH, cm('a'));
  const faults = Array.from({ length: 8 }, () => ({ type: 'status' as const, status: 503 }));
  fake.injectWatchFault(PATH, ...faults);
  const h = startLoop({ random: () => 0.999 });
  await until(() => h.delays.length === 8, 'eight backoffs');
  assert.deepEqual(h.delays, [999, 1998, 3996, 7992, 15984, 29970, 29970, 29970]);
  assert.equal(h.loop.state().lastError?.code, 'KRM_KUBE_UNAVAILABLE');
});

test('a stalled stream trips the watchdog and the loop reconnects from its version', async () => {
  fake.upsert(PATH, cm('a'));
  fake.injectWatchFault(PATH, { type: 'stall' });
  const h = startLoop({ tuning: { watchdogMs: 150 } });
  await until(() => h.loop.state().watchdogFirings === 1 && fake.openWatches(PATH) === 1, 'watchdog then a live watch', 3000);
  const watches = fake.requestsOf(PATH, 'watch');
  assert.equal(watches[1]?.query.resourceVersion, watches[0]?.query.resourceVersion);
  assert.equal(h.log.of('kube.watch.watchdog').length, 1);
  assert.equal(h.delays.length, 1);
  fake.upsert(PATH, cm('b'));
  await until(() => h.sink.size === 2, 'events flow again');
});

test('a second silent stream in a row makes the kind relist', async () => {
  fake.upsert(PATH, cm('a'));
  fake.injectWatchFault(PATH, { type: 'stall' }, { type: 'stall' });
  const h = startLoop({ tuning: { watchdogMs: 100 } });
  await until(() => h.loop.state().relists === 1 && fake.openWatches(PATH) === 1, 'relist after two watchdog aborts', 3000);
  assert.equal(h.loop.state().watchdogFirings, 2);
  assert.deepEqual(h.log.of('watch.relist').map((e) => e.reason), ['watchdog']);
  assert.equal(h.delays.length, 2, 'both aborts back off');
});

test('bookmarks advance the resume version without touching objects', async () => {
  fake.upsert(PATH, cm('a'));
  const h = startLoop();
  await until(() => fake.openWatches(PATH) === 1, 'watch open');
  for (let i = 0; i < 3; i++) fake.upsert('/api/v1/secrets', cm(`other-${i}`));
  fake.bookmark(PATH);
  await until(() => h.loop.state().resourceVersion === fake.resourceVersion, 'bookmark applied');
  assert.equal(h.loop.state().eventsApplied, 0);
  fake.endWatches();
  await until(() => fake.requestsOf(PATH, 'watch').length === 2, 'reconnect');
  assert.equal(fake.requestsOf(PATH, 'watch')[1]?.query.resourceVersion, fake.resourceVersion);
  assert.equal(h.delays.length, 0, 'a clean end reconnects at once');
});

test('a watch that closes at once without events counts as a failure', async () => {
  fake.upsert(PATH, cm('a'));
  fake.injectWatchFault(PATH, { type: 'close' });
  const h = startLoop();
  await until(() => fake.requestsOf(PATH, 'watch').length === 2, 'second watch');
  assert.deepEqual(h.delays, [500]);
});

test('relists of several kinds wait for the shared gate', async () => {
  fake.upsert(PATH, cm('a'));
  const gate = createSemaphore(1);
  const h = startLoop({ gate });
  await until(() => fake.openWatches(PATH) === 1, 'watch open');
  const controller = new AbortController();
  const release = await gate.acquire(controller.signal);
  fake.injectWatchFault(PATH, { type: 'gone-event' });
  fake.endWatches();
  await until(() => gate.waiting === 1, 'relist waiting for the gate');
  const listsBefore = fake.requestsOf(PATH, 'list').length;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(fake.requestsOf(PATH, 'list').length, listsBefore, 'no list while another kind relists');
  release();
  await until(() => h.loop.state().relists === 1, 'relist after release');
});

test('abort stops the loop and closes its watch', async () => {
  fake.upsert(PATH, cm('a'));
  const h = startLoop();
  await until(() => fake.openWatches(PATH) === 1, 'watch open');
  await h.stop();
  assert.equal(h.loop.state().phase, 'stopped');
  await until(() => fake.openWatches(PATH) === 0, 'watch closed');
  assert.equal(h.log.of('loop.stopped').length, 1);
});
