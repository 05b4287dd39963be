// SPDX-License-Identifier: Apache-2.0
// Timestamps as the API server writes them: RFC 3339 with second precision for metav1.Time, microseconds for
// metav1.MicroTime (Lease renewTime, Event eventTime).

const isoCache = new Map<number, string>();
const ISO_CACHE_MAX = 1_000_000;
const KEY_OFFSET_SEC = 1_700_000_000;

/**
 * metav1.Time: "2026-06-26T10:12:19Z". Memoized, so that the many objects stamped with the same second share one
 * string; {@link clearIsoCache} drops the memo once a build is done.
 */
export function iso(ms: number): string {
  const sec = Math.floor(ms / 1000);
  // Keys near zero stay small integers (Smis), which V8 hashes much faster than epoch seconds stored as doubles.
  const key = sec - KEY_OFFSET_SEC;
  let s = isoCache.get(key);
  if (s === undefined) {
    if (isoCache.size >= ISO_CACHE_MAX) isoCache.clear();
    s = formatSecond(sec);
    isoCache.set(key, s);
  }
  return s;
}

const DAY_SEC = 86_400;
const dayPrefixes = new Map<number, Buffer>();
const isoBuf = Buffer.alloc(20);

function put2(at: number, v: number): void {
  isoBuf[at] = 48 + Math.floor(v / 10);
  isoBuf[at + 1] = 48 + (v % 10);
}

/** Formats epoch seconds without a Date per call: the date part is cached per day, the time part written as bytes. */
function formatSecond(sec: number): string {
  const day = Math.floor(sec / DAY_SEC);
  let prefix = dayPrefixes.get(day);
  if (!prefix) {
    prefix = Buffer.from(new Date(day * DAY_SEC * 1000).toISOString().slice(0, 11), 'latin1');
    dayPrefixes.set(day, prefix);
  }
  const s = sec - day * DAY_SEC;
  prefix.copy(isoBuf, 0);
  put2(11, Math.floor(s / 3600));
  isoBuf[13] = 58;
  put2(14, Math.floor((s % 3600) / 60));
  isoBuf[16] = 58;
  put2(17, s % 60);
  isoBuf[19] = 90;
  return isoBuf.toString('latin1');
}

export function clearIsoCache(): void {
  isoCache.clear();
}

/** metav1.MicroTime: "2026-06-26T10:12:19.123456Z". */
export function isoMicro(ms: number): string {
  const d = new Date(Math.floor(ms));
  const base = d.toISOString().slice(0, 19);
  const micros = Math.floor((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${base}.${String(micros).padStart(6, '0')}Z`;
}
