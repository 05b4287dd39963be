// SPDX-License-Identifier: Apache-2.0
// `oom`: a service with a memory leak. Its ordinary traffic is interleaved with memory reports whose level rises
// with the leak: JVM GC lines turning into back-to-back full collections, V8 mark-compact traces, RSS warnings.
// A terminated (OOMKilled) incarnation reaches about 97 % of its limit at the end. The cgroup OOM killer sends
// SIGKILL, so most runtimes print nothing more; a JVM usually logs an OutOfMemoryError from a request thread
// first, and Node.js aborts with its heap-limit report when its heap limit sits just under the container limit.
import { TEXT_OUTPUT } from './app-format.ts';
import type { AppEvent } from './app-format.ts';
import { jvmGcLine } from './incidents.ts';
import { appTraffic } from './profile-web.ts';
import { createRng } from './rng.ts';
import type { Rng } from './rng.ts';
import { appStartup, dbConnectedEvent, listeningEvent, startingEvent } from './startup.ts';
import type { ProfileContext, ProfileImpl } from './types.ts';

const LEAK_TIME_CONSTANT_MS = 25 * 60_000;
const TEXT_TRAFFIC = appTraffic(TEXT_OUTPUT);

function limitMb(ctx: ProfileContext): number {
  return createRng(ctx.seed, 0x00ff).pick([256, 512, 1024]);
}

/** Share of the memory limit in use at `ms`: rising steadily, close to the limit at an OOM kill. */
export function memoryFraction(ctx: ProfileContext, ms: number): number {
  const elapsed = Math.max(0, ms - ctx.startedAtMs);
  if (ctx.terminated) {
    const p = Math.min(1, elapsed / Math.max(1, ctx.endMs - ctx.startedAtMs));
    return 0.35 + 0.62 * p ** 1.5;
  }
  return 0.35 + 0.6 * (1 - Math.exp(-elapsed / LEAK_TIME_CONSTANT_MS));
}

/** A V8 `--trace-gc` style line, which Node.js prints by itself as the heap nears its limit. */
function v8Trace(ctx: ProfileContext, at: { ms: number; usedMb: number }, rng: Rng): string {
  const { ms, usedMb } = at;
  const uptime = String(ms - ctx.startedAtMs).padStart(8);
  const after = (usedMb - rng.next() * 3).toFixed(1);
  return `[1:0x6d2e000] ${uptime} ms: Mark-Compact ${usedMb.toFixed(1)} (${(usedMb * 1.02).toFixed(1)}) -> ${after} (${(usedMb * 1.03).toFixed(1)}) MB, ${(200 + rng.next() * 900).toFixed(2)} / 0.00 ms  (average mu = ${(0.05 + rng.next() * 0.2).toFixed(3)}, current mu = ${(rng.next() * 0.1).toFixed(3)}) allocation failure; scavenge might not succeed`;
}

function memoryReport(ctx: ProfileContext, ms: number, rng: Rng): string[] {
  const frac = memoryFraction(ctx, ms);
  const limit = limitMb(ctx);
  const used = frac * limit;
  const pct = Math.round(frac * 100);
  const level = frac > 0.8 ? 'WARN' : 'INFO';
  const { env } = ctx;
  if (env.flavor === 'java') {
    const heapMax = Math.round(limit * 0.75);
    const gc = jvmGcLine(ms, Math.floor((ms - ctx.startedAtMs) / 5000), { usedMb: Math.min(heapMax, used * 0.75), maxMb: heapMax, pauseMs: 5 + frac ** 4 * 900 });
    if (level === 'INFO') return [gc];
    const warn: AppEvent = { level, logger: 'gc', thread: 'memory-monitor', text: `heap usage at ${pct}% (${Math.round(used * 0.75)}MB of ${heapMax}MB) after full GC` };
    return [gc, ...TEXT_OUTPUT.format(env, ms, warn)];
  }
  const report: AppEvent = {
    level,
    logger: 'app',
    text: env.flavor === 'node' ? `heap used ${Math.round(used * 0.9)}MB of ${Math.round(limit * 0.9)}MB (${pct}%)` : `memory usage: rss=${Math.round(used)}MB limit=${limit}MB (${pct}%)`,
    msg: 'memory usage',
    fields: { rss_mb: Math.round(used), limit_mb: limit },
  };
  const lines = TEXT_OUTPUT.format(env, ms, report);
  return env.flavor === 'node' && frac > 0.85 ? [v8Trace(ctx, { ms, usedMb: used * 0.9 }, rng), ...lines] : lines;
}

function javaOomEnding(ctx: ProfileContext): ((ms: number) => string[])[] {
  const oom: AppEvent = {
    level: 'ERROR',
    logger: 'servlet',
    thread: 'nio-8080-exec-7',
    text:
      'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch ' +
      'failed: java.lang.OutOfMemoryError: Java heap space] with root cause',
    stack: [
      'java.lang.OutOfMemoryError: Java heap space',
      '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)',
      '\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)',
      '\tat com.example.app.report.ReportService.collectRows(ReportService.java:118)',
      '\tat com.example.app.web.ReportController.export(ReportController.java:51)',
    ],
  };
  const heapMax = Math.round(limitMb(ctx) * 0.75);
  return [
    (ms) => TEXT_OUTPUT.format(ctx.env, ms, oom),
    (ms) => [jvmGcLine(ms, Math.floor((ms - ctx.startedAtMs) / 5000) + 1, { usedMb: heapMax - 1, maxMb: heapMax, pauseMs: 1180.5 })],
  ];
}

function nodeOomEnding(ctx: ProfileContext): ((ms: number) => string[])[] {
  const heap = limitMb(ctx) * 0.9;
  const rng = createRng(ctx.seed, 0x0b00);
  return [
    (ms) => [
      '',
      '<--- Last few GCs --->',
      '',
      v8Trace(ctx, { ms: ms - 1500, usedMb: heap * 0.99 }, rng),
      v8Trace(ctx, { ms: ms - 200, usedMb: heap * 0.995 }, rng),
      '',
      '',
      '<--- JS stacktrace --->',
      '',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      '----- Native stack trace -----',
      '',
      ' 1: 0xb8d0a3 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]',
      ' 2: 0xf06460 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]',
      ' 3: 0xf06747 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]',
      ' 4: 0x1118105  [node]',
      ' 5: 0x112ff88 v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace, v8::internal::GarbageCollectionReason, v8::GCCallbackFlags) [node]',
    ],
  ];
}

function oomEnding(ctx: ProfileContext): ((ms: number) => string[])[] {
  if (ctx.env.flavor === 'java') return javaOomEnding(ctx);
  if (ctx.env.flavor === 'node') return nodeOomEnding(ctx);
  return [(ms) => memoryReport(ctx, ms, createRng(ctx.seed, ms))];
}

export const OOM_PROFILE: ProfileImpl = {
  entriesPerMinute: 35,
  startup: (ctx) =>
    appStartup(ctx, TEXT_OUTPUT, [startingEvent(ctx.env), dbConnectedEvent(ctx.env), listeningEvent(ctx.env, 8080)]),
  entry: (ctx, ms, rng) =>
    rng.chance(0.3) ? memoryReport(ctx, ms, rng) : TEXT_TRAFFIC(ctx, ms, rng),
  ending: oomEnding,
};

