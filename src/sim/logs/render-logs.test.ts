// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followLogs, renderLogs } from './render-logs.ts';
import { LOG_PROFILES } from './types.ts';
import type { LogRequest } from './types.ts';

const START = Date.parse('2026-06-26T08:00:00Z');
const NOW = Date.parse('2026-06-26T10:00:00Z');
const IMAGES = ['node:20', 'golang:1.24', 'eclipse-temurin:21', 'python:3.12', 'nginx:1.27.3', 'postgres:16.4', 'redis:7.2'];
const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z) /;

function req(over: Partial<LogRequest> = {}): LogRequest {
  return {
    profile: 'web',
    seed: 1234,
    containerName: 'orders',
    image: 'registry.example.com/shop/orders:1.4.2',
    startedAtMs: START,
    endMs: NOW,
    previous: false,
    ...over,
  };
}

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

function stampMs(line: string): number {
  const m = TS.exec(line);
  assert.ok(m?.[1], `timestamp on: ${line}`);
  return Date.parse(m[1]);
}

void test('deterministic: the same request renders the same bytes; another seed or start differs', () => {
  assert.equal(renderLogs(req({ tailLines: 1000 })), renderLogs(req({ tailLines: 1000 })));
  assert.notEqual(renderLogs(req({ tailLines: 50 })), renderLogs(req({ seed: 99, tailLines: 50 })));
  assert.notEqual(renderLogs(req({ tailLines: 50 })), renderLogs(req({ startedAtMs: START + 1000, tailLines: 50 })));
});

void test('every profile renders ASCII lines inside the container lifetime, for every runtime', () => {
  for (const profile of LOG_PROFILES) {
    for (const image of IMAGES) {
      for (const previous of [false, true]) {
        const endMs = previous ? START + 90_000 : NOW;
        const out = renderLogs(req({ profile, image, previous, endMs, timestamps: true, tailLines: 400 }));
        const label = `${profile} ${image} previous=${previous}`;
        assert.ok(out.length > 0 || (profile === 'config-error' && !previous), label);
        assert.match(out, /^[\t\n -~]*$/, `${label}: ASCII only, so limitBytes never splits a character`);
        const times = lines(out).map(stampMs);
        assert.ok(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0)), `${label}: ordered`);
        assert.ok((times[0] ?? START) >= START, `${label}: not before start`);
        assert.ok((times.at(-1) ?? START) <= endMs + (previous ? 999 : 0), `${label}: not after end`);
      }
    }
  }
});

void test('the log file holds at most 5000 lines; tailLines takes the last N of them', () => {
  const full = lines(renderLogs(req()));
  assert.equal(full.length, 5000);
  const tail = lines(renderLogs(req({ tailLines: 25 })));
  assert.deepEqual(tail, full.slice(-25));
  assert.equal(renderLogs(req({ tailLines: 0 })), '');
  assert.equal(lines(renderLogs(req({ tailLines: -1 }))).length, 5000);
});

void test('timestamps: RFC 3339 with nanoseconds, trailing zeros trimmed, then a space and the line', () => {
  const plain = lines(renderLogs(req({ tailLines: 50 })));
  const stamped = lines(renderLogs(req({ tailLines: 50, timestamps: true })));
  stamped.forEach((line, i) => {
    const m = TS.exec(line);
    assert.ok(m?.[1]);
    assert.doesNotMatch(m[1], /\.\d*0Z$/, 'no trailing zeros in the fraction');
    assert.equal(line.slice(m[0].length), plain[i]);
  });
});

void test('sinceSeconds drops older lines, counted from nowMs; tail is applied before since', () => {
  const since = lines(renderLogs(req({ sinceSeconds: 120, timestamps: true })));
  assert.ok(since.length > 0);
  assert.ok(since.every((l) => stampMs(l) >= NOW - 120_000));
  const tailThenSince = lines(renderLogs(req({ tailLines: 10, sinceSeconds: 600, timestamps: true })));
  const tail = lines(renderLogs(req({ tailLines: 10, timestamps: true })));
  assert.deepEqual(tailThenSince, tail.filter((l) => stampMs(l) >= NOW - 600_000));
  const later = lines(renderLogs(req({ sinceSeconds: 120, nowMs: NOW + 60_000, timestamps: true })));
  assert.ok(later.length < since.length, 'a later request time narrows the window');
  const sinceTime = renderLogs(req({ sinceTimeMs: NOW - 120_000, timestamps: true }));
  assert.equal(sinceTime, since.join('\n') + '\n');
});

void test('limitBytes cuts the output after that many bytes, mid-line', () => {
  const full = renderLogs(req({ tailLines: 20 }));
  const cut = renderLogs(req({ tailLines: 20, limitBytes: 100 }));
  assert.equal(Buffer.byteLength(cut), 100);
  assert.ok(full.startsWith(cut));
  assert.equal(renderLogs(req({ tailLines: 2, limitBytes: 1_000_000 })), renderLogs(req({ tailLines: 2 })));
});

void test('followLogs continues renderLogs without repeating or skipping a line', () => {
  const young = req({ startedAtMs: NOW - 10 * 60_000, timestamps: true });
  const t1 = NOW - 90_000;
  const first = renderLogs({ ...young, endMs: t1 });
  const next = followLogs(young, t1, NOW - 30_000) + followLogs(young, NOW - 30_000, NOW);
  assert.equal(first + next, renderLogs(young));
  assert.ok(lines(next).every((l) => stampMs(l) > t1));
  assert.equal(followLogs({ ...young, previous: true }, t1, NOW), '');
});

void test('short-lived terminated runs fit their output between startedAt and finishedAt + 999 ms', () => {
  const out = renderLogs(req({ profile: 'config-error', image: 'node:20', previous: true, endMs: START, timestamps: true }));
  const times = lines(out).map(stampMs);
  assert.ok(times.length > 5);
  assert.ok(times.every((t) => t >= START && t <= START + 999));
  assert.match(out, /Missing required environment variable: DATABASE_URL/);
});
