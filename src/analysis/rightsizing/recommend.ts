// SPDX-License-Identifier: Apache-2.0
// Rightsizing of one container of a workload (REQUIREMENTS §3.1), all its pods pooled: eligibility (100 points and
// 3 h), the strategy, the adjustments, then severity on the KRR scale, confidence (§3.0), monthly savings
// (Δrequest × price × 720 h), a one-sentence explanation and the YAML patch. Pure: `nowMs` comes in, no I/O.
import { confidenceOf, coverageOf } from '../confidence.ts';
import type { Severity } from '../severity.ts';
import { adjust, toResources } from './adjust.ts';
import { contextOf, type StrategyContext } from './context.ts';
import { cpuQuantity, memoryQuantity, resourcesPatch } from './patch.ts';
import { medianStepMs } from './stats.ts';
import { krm } from './strategy-krm.ts';
import { krrSimple } from './strategy-krr.ts';
import { vpa } from './strategy-vpa.ts';
import type { Proposal, Recommendation, Resources, RightsizingInput, StrategyName } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

export const MIN_POINTS = 100;
export const MIN_SPAN_MS = 3 * HOUR_MS;
const HOURS_PER_MONTH = 720;
const GIB = 1_073_741_824;

const STRATEGY: Record<StrategyName, (ctx: StrategyContext) => Proposal> = { krm, 'krr-simple': krrSimple, vpa };

/** KRR's scale on |Δ|: CPU 0.5 / 0.25 / 0.1 core, memory 500 / 250 / 100 MB → high, medium, low, else info. */
export function severityOf(delta: { cpuRequest?: number; memRequest?: number }): Severity {
  const level = (v: number | undefined, steps: readonly number[]): number =>
    v === undefined ? 0 : steps.filter((s) => Math.abs(v) >= s).length;
  const rank = Math.max(level(delta.cpuRequest, [100, 250, 500]), level(delta.memRequest, [100e6, 250e6, 500e6]));
  return (['info', 'low', 'medium', 'high'] as const)[rank] as Severity;
}

function deltaOf(cur: Resources, rec: Resources): { cpuRequest?: number; memRequest?: number } {
  const d: { cpuRequest?: number; memRequest?: number } = {};
  if (cur.cpuRequest !== undefined && rec.cpuRequest !== undefined) d.cpuRequest = rec.cpuRequest - cur.cpuRequest;
  if (cur.memRequest !== undefined && rec.memRequest !== undefined) d.memRequest = rec.memRequest - cur.memRequest;
  return d;
}

function savingsOf(delta: { cpuRequest?: number; memRequest?: number }, input: RightsizingInput): number | undefined {
  const p = input.prices;
  if (p === undefined || (delta.cpuRequest === undefined && delta.memRequest === undefined)) return undefined;
  const cpu = ((delta.cpuRequest ?? 0) / 1000) * p.cpuCoreHour;
  const mem = ((delta.memRequest ?? 0) / GIB) * p.memGiBHour;
  return Math.round(-(cpu + mem) * HOURS_PER_MONTH * 100) / 100;
}

function pointsOf(ctx: StrategyContext): number {
  return ctx.pods.reduce((n, p) => n + Math.max(p.cpu.values.length, p.memory.values.length), 0);
}

function describe(rec: Resources, basis: string, notes: readonly string[]): string {
  const cpu = rec.cpuRequest === undefined ? '?' : cpuQuantity(rec.cpuRequest);
  const mem = rec.memRequest === undefined ? '?' : memoryQuantity(rec.memRequest);
  const lim = rec.cpuLimit === undefined ? 'no CPU limit' : `a CPU limit of ${cpuQuantity(rec.cpuLimit)}`;
  const extra = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `Request ${cpu} CPU and ${mem} memory with ${lim}, from ${basis}${extra}.`;
}

function confidence(ctx: StrategyContext, points: number, stepMs: number | undefined): Recommendation['confidence'] {
  const spanMs = ctx.lastMs - ctx.firstMs;
  const pods = Math.max(1, ctx.pods.filter((p) => p.cpu.values.length + p.memory.values.length > 0).length);
  const step = stepMs ?? medianStepMs(ctx.pods.find((p) => p.cpu.values.length > 1)?.cpu.timestampsMs ?? []);
  return confidenceOf(spanMs, coverageOf(points / pods, spanMs, step));
}

export function recommend(input: RightsizingInput): Recommendation {
  const strategy = input.strategy ?? 'krm';
  const ctx = contextOf(input);
  const points = pointsOf(ctx);
  const window = { fromMs: ctx.fromMs, toMs: ctx.nowMs };
  const base = { strategy, current: input.current, points, window };
  const spanMs = ctx.lastMs - ctx.firstMs;
  if (!(points >= MIN_POINTS && spanMs >= MIN_SPAN_MS)) {
    const explanation = `Not enough data: ${points} points over ${(Number.isFinite(spanMs) ? spanMs / HOUR_MS : 0).toFixed(1)} h, at least ${MIN_POINTS} points and 3 h are needed.`;
    return { ...base, status: 'not-enough-data', delta: {}, severity: 'info', confidence: 'low', notes: ['not enough data'], explanation };
  }
  const proposal = STRATEGY[strategy](ctx);
  const draft = adjust(proposal, { input, ctx, strategy });
  const recommended = toResources(draft);
  const delta = deltaOf(input.current, recommended);
  const savings = savingsOf(delta, input);
  return {
    ...base,
    status: 'ok',
    recommended,
    delta,
    severity: severityOf(delta),
    confidence: confidence(ctx, points, input.stepMs),
    notes: draft.notes,
    ...(savings === undefined ? {} : { monthlySavings: savings }),
    explanation: describe(recommended, proposal.basis, draft.notes),
    patch: resourcesPatch(input.container ?? 'main', recommended, input.current),
  };
}
