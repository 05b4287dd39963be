// SPDX-License-Identifier: Apache-2.0
// Number and time renderings shared by the exporters. The real exporters are Go programs (client_golang,
// kube-state-metrics, the kubelet), so sample values are written the way Go's strconv.FormatFloat(v, 'g', -1, 64)
// writes them: shortest round-trip digits, exponent form once the decimal exponent is below -4 or at least 6
// ("196608" but "1.0678272e+07"). Matching this keeps our output byte-comparable with the captured fixtures.

/** A float64 as client_golang writes it: `NaN`, `+Inf`, `-Inf`, `196608`, `9.17110784e+08`, `0.25`. */
export function formatGoFloat(v: number): string {
  const abs = Math.abs(v);
  // Fast path for the common case: in [1e-4, 1e6) both Go and JavaScript write plain shortest decimals.
  if (abs >= 1e-4 && abs < 1e6) return String(v);
  if (!Number.isFinite(v) || v === 0) return formatSpecial(v);
  // toExponential() without an argument yields the shortest digits that round-trip, as Go's -1 precision does.
  const [mantissa = '0', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // Within [-4, 5] JavaScript's own rendering is already plain decimal with the same shortest digits.
  return String(v);
}

function formatSpecial(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  return v > 0 ? '+Inf' : '-Inf';
}

/**
 * Seconds rounded to whole nanoseconds. cAdvisor and the kubelet read CPU time in nanoseconds and divide by 1e9,
 * so their values never carry float noise such as `315.00000000000006`; rounding ours keeps them as clean.
 */
export function roundToNanos(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e9;
}

/**
 * An OpenMetrics timestamp (seconds, as the spec requires) from epoch milliseconds, written without exponent so
 * that millisecond precision survives: `1700000000`, `1700000000.5`, `1700000000.123`.
 */
export function formatSecondsTimestamp(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const frac = Math.round(ms - whole * 1000);
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** RFC 3339 at second precision, as Kubernetes serializes metav1.Time: `2026-06-26T10:14:31Z`. */
export function rfc3339Seconds(ms: number): string {
  const sec = Math.floor(ms / 1000);
  let text = rfc3339Cache.get(sec);
  if (text === undefined) {
    if (rfc3339Cache.size >= RFC3339_CACHE_MAX) rfc3339Cache.clear();
    text = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
    rfc3339Cache.set(sec, text);
  }
  return text;
}

/**
 * Formatted seconds: every kubelet summary repeats each container's start time, and formatting a Date for each of
 * 225,000 containers per collection showed in profiles. Bounded; cleared when full.
 */
const rfc3339Cache = new Map<number, string>();
const RFC3339_CACHE_MAX = 500_000;

/** Epoch milliseconds of an RFC 3339 string, or undefined when absent or unparsable. */
export function parseTimeMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
