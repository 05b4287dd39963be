// SPDX-License-Identifier: Apache-2.0
// The kubelet's container log endpoint, reproduced over generated logs. As in the kubelet: tailLines picks the
// last N lines of the log file first, then sinceSeconds/sinceTime drop the older ones among them; timestamps
// prefix each line with its RFC 3339 nanosecond time and a space; limitBytes cuts the output after that many
// bytes, even mid-line. Only the current log file is served after rotation, modelled as its last 5000 lines.
import { collectLines, MAX_LINES } from './engine.ts';
import type { LineWindow, LogLine } from './engine.ts';
import { createEnv } from './env.ts';
import { profileImpl } from './profiles.ts';
import { fnv32a } from '../hash.ts';
import { mix } from './rng.ts';
import { rfc3339Nano } from './time-format.ts';
import type { LogRequest, ProfileContext } from './types.ts';

/** Status times have second precision: a terminated run's last output may be up to 999 ms after finishedAt. */
const FINISHED_AT_SLACK_MS = 999;

function contextOf(req: LogRequest): ProfileContext {
  const env = createEnv(req.seed, req.containerName, req.image);
  const seed = mix(req.seed, fnv32a(req.containerName), fnv32a(req.image), req.startedAtMs);
  const endMs = req.previous ? Math.max(req.endMs, req.startedAtMs) + FINISHED_AT_SLACK_MS : req.endMs;
  return { seed, env, startedAtMs: req.startedAtMs, endMs, terminated: req.previous };
}

function sinceMs(req: LogRequest): number {
  const nowMs = req.nowMs ?? req.endMs;
  const bounds = [Number.NEGATIVE_INFINITY];
  if (req.sinceSeconds !== undefined) bounds.push(nowMs - req.sinceSeconds * 1000);
  if (req.sinceTimeMs !== undefined) bounds.push(req.sinceTimeMs);
  return Math.max(...bounds);
}

function formatLines(lines: readonly LogLine[], timestamps: boolean): string {
  let out = '';
  for (const line of lines) {
    out += timestamps ? `${rfc3339Nano(line.ms, line.ns)} ${line.text}\n` : `${line.text}\n`;
  }
  return out;
}

function limitBytes(text: string, limit: number | undefined): string {
  if (limit === undefined || limit < 0) return text;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= limit ? text : bytes.subarray(0, limit).toString('utf8');
}

/** The body of `GET .../pods/{pod}/log` for one container incarnation: pure and deterministic. */
export function renderLogs(req: LogRequest): string {
  const ctx = contextOf(req);
  const tail = req.tailLines === undefined || req.tailLines < 0 ? MAX_LINES : Math.min(req.tailLines, MAX_LINES);
  const win: LineWindow = { fromMs: sinceMs(req), toMs: ctx.endMs, maxLines: tail };
  const lines = collectLines(profileImpl(req.profile, ctx.env), ctx, win);
  return limitBytes(formatLines(lines, req.timestamps === true), req.limitBytes);
}

/**
 * For `follow=true`: the lines stamped after `afterMs` and up to `untilMs`, formatted like renderLogs output.
 * Send renderLogs({ ...req, endMs: now }) first, then call this on a timer with the previous `untilMs` as
 * `afterMs`; consecutive calls neither repeat nor skip a line, because the lines of an instant never depend on
 * how far the window reaches. tailLines, sinceSeconds and limitBytes apply to the initial part only (the API
 * layer counts limitBytes across the whole stream). A terminated incarnation has nothing to follow.
 */
export function followLogs(req: LogRequest, afterMs: number, untilMs: number): string {
  if (req.previous || untilMs <= afterMs) return '';
  const ctx = contextOf({ ...req, endMs: untilMs });
  const win: LineWindow = { fromMs: afterMs + 1, toMs: untilMs, maxLines: MAX_LINES };
  return formatLines(collectLines(profileImpl(req.profile, ctx.env), ctx, win), req.timestamps === true);
}
