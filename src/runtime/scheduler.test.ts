// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors/app-error.ts';
import { RecordingLogger } from '../logging/recording-logger.ts';
import { createBackoff } from './backoff.ts';
import { ManualClock, settle } from './manual-clock.ts';
import { createScheduledTask, type ScheduledTaskOptions } from './scheduler.ts';

const S = 1000;

function setup(overrides: Partial<ScheduledTaskOptions> & Pick<ScheduledTaskOptions, 'run'>) {
  const clock = new ManualClock(0);
  const log = new RecordingLogger();
  const ac = new AbortController();
  const task = createScheduledTask({
    name: 'rightsizing',
    cadenceMs: 60 * S,
    initialDelayMs: 10 * S,
    timeoutMs: 30 * S,
    clock,
    sleep: clock.sleep,
    log,
    backoff: createBackoff({ baseMs: 1000, maxMs: 60 * S, random: () => 0.5 }),
    ...overrides,
  });
  const started = task.start(ac.signal);
  return { clock, log, ac, task, started };
}

/** A run that takes `ms` of manual time and honours its signal. */
function work(clock: ManualClock, ms: number, record?: (signal: AbortSignal) => void) {
  return async (signal: AbortSignal) => {
    record?.(signal);
    const finished = await clock.sleep(ms, signal);
    if (!finished) throw signal.reason;
  };
}

test('initial delay, then one run per cadence measured from run starts', async () => {
  const { clock, task, ac, started, log } = setup({ run: async () => undefined });
  await settle();
  assert.equal(task.state().nextRunAt, 10 * S);
  assert.equal(task.state().status, 'idle');
  await clock.advance(10 * S);
  assert.equal(task.state().runs, 1);
  assert.equal(task.state().nextRunAt, 70 * S);
  await clock.advance(120 * S);
  assert.equal(task.state().runs, 3);
  assert.equal(task.state().lastRunStartedAt, 130 * S);
  assert.equal(task.state().nextRunAt, 190 * S);
  assert.deepEqual(log.of('task.started').map((e) => e['trigger']), ['schedule', 'schedule', 'schedule']);
  ac.abort();
  await started;
  assert.equal(task.state().status, 'stopped');
  assert.equal(task.state().nextRunAt, undefined);
});

test('runs never overlap: trigger() during a run is refused and a long run skips the ticks it missed', async () => {
  let active = 0;
  let maxActive = 0;
  const clock = new ManualClock(0);
  const run = async (signal: AbortSignal) => {
    active++;
    maxActive = Math.max(maxActive, active);
    await clock.sleep(130 * S, signal);
    active--;
  };
  const { task, ac, started, log } = setup({ run, timeoutMs: 10 * 60 * S, initialDelayMs: 0, clock, sleep: clock.sleep });
  await settle();
  assert.equal(task.state().status, 'running');
  assert.equal(task.trigger(), false);
  await clock.advance(130 * S);
  const s = task.state();
  assert.equal(s.status, 'idle');
  assert.equal(s.runs, 1);
  assert.equal(s.skippedRuns, 2);
  assert.equal(s.lastRunEndedAt, 130 * S);
  assert.equal(s.lastDurationMs, 130 * S);
  assert.equal(s.nextRunAt, 180 * S);
  assert.deepEqual(log.of('task.skipped'), [{ event: 'task.skipped', task: 'rightsizing', missedRuns: 2 }]);
  await clock.advance(50 * S);
  assert.equal(task.state().runs, 2);
  assert.equal(maxActive, 1);
  ac.abort();
  await started;
});

test('a run that exceeds its timeout is aborted, recorded as KRM_TASK_TIMEOUT and retried with backoff', async () => {
  const clock = new ManualClock(0);
  const seen: AbortSignal[] = [];
  const { task, ac, started, log } = setup({ run: work(clock, 100 * S, (s) => seen.push(s)), clock, sleep: clock.sleep, initialDelayMs: 0 });
  await clock.advance(30 * S);
  assert.equal(seen[0]?.aborted, true);
  assert.ok(seen[0]?.reason instanceof AppError);
  const s = task.state();
  assert.equal(s.failures, 1);
  assert.equal(s.lastError?.code, 'KRM_TASK_TIMEOUT');
  assert.equal(s.lastError?.at, 30 * S);
  assert.equal(s.nextRunAt, 30 * S + 500);
  const failed = log.of('task.failed')[0];
  assert.equal(failed?.['retryInMs'], 500);
  assert.equal(failed?.['durationMs'], 30 * S);
  assert.equal(log.entries.find((e) => e.fields['event'] === 'task.failed')?.level, 'warn');
  ac.abort();
  await started;
});

test('a run that ignores its signal is still awaited (no overlap) and still counts as timed out', async () => {
  const clock = new ManualClock(0);
  const run = async () => {
    await clock.sleep(45 * S);
  };
  const { task, ac, started } = setup({ run, clock, sleep: clock.sleep, initialDelayMs: 0 });
  await clock.advance(30 * S);
  assert.equal(task.state().status, 'running');
  await clock.advance(15 * S);
  assert.equal(task.state().status, 'idle');
  assert.equal(task.state().lastError?.code, 'KRM_TASK_TIMEOUT');
  assert.equal(task.state().lastDurationMs, 45 * S);
  ac.abort();
  await started;
});

test('failed runs back off exponentially (capped at the cadence) and a success returns to the cadence', async () => {
  const clock = new ManualClock(0);
  let calls = 0;
  const run = async () => {
    calls++;
    if (calls <= 3) throw new Error('store unavailable');
  };
  const { task, ac, started } = setup({ run, clock, sleep: clock.sleep, initialDelayMs: 0 });
  await settle();
  assert.equal(task.state().nextRunAt, 500);
  await clock.advance(500);
  assert.equal(task.state().nextRunAt, 1500);
  await clock.advance(1000);
  assert.equal(task.state().nextRunAt, 3500);
  assert.equal(task.state().consecutiveFailures, 3);
  await clock.advance(2000);
  assert.equal(calls, 4);
  assert.equal(task.state().consecutiveFailures, 0);
  assert.equal(task.state().nextRunAt, 3500 + 60 * S);
  // every run also arms a 30 s timeout sleep; the waits between runs are the rest
  assert.deepEqual(clock.requested.filter((ms) => ms !== 30 * S), [0, 500, 1000, 2000, 60 * S]);
  ac.abort();
  await started;
});

test('trigger() runs an idle task now, and the cadence restarts from that run', async () => {
  const clock = new ManualClock(0);
  const { task, ac, started, log } = setup({ run: work(clock, 1 * S), clock, sleep: clock.sleep });
  await clock.advance(5 * S);
  assert.equal(task.trigger(), true);
  assert.equal(task.trigger(), false, 'a second trigger before the run starts is not queued');
  await settle();
  assert.equal(task.state().status, 'running');
  assert.equal(task.state().lastRunStartedAt, 5 * S);
  await clock.advance(1 * S);
  assert.equal(task.state().nextRunAt, 65 * S);
  assert.deepEqual(log.of('task.started').map((e) => e['trigger']), ['manual']);
  ac.abort();
  await started;
});

test('shutdown aborts a run in progress without counting it as a failure', async () => {
  const clock = new ManualClock(0);
  const { task, ac, started, log } = setup({ run: work(clock, 20 * S), clock, sleep: clock.sleep, initialDelayMs: 0 });
  await clock.advance(5 * S);
  ac.abort();
  await started;
  assert.equal(task.state().status, 'stopped');
  assert.equal(task.state().failures, 0);
  assert.deepEqual(log.of('task.failed'), []);
  assert.equal(clock.pending, 0);
  await assert.rejects(task.start(ac.signal), /started twice/);
});
