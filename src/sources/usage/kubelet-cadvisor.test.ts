// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cadvisorPath, parseCfsCounters, ThrottleTracker, throttledRatio } from './kubelet-cadvisor.ts';

// The shape of a kubelet's /metrics/cadvisor: pod-level cgroups (container="") and containers, a timestamp after
// each value, exponent notation for large counters, other families in between.
const TEXT = [
  '# HELP container_cpu_cfs_periods_total Number of elapsed enforcement period intervals.',
  '# TYPE container_cpu_cfs_periods_total counter',
  'container_cpu_cfs_periods_total{container="",id="/kubepods/burstable/pod1",image="",name="",namespace="shop",pod="cart-1"} 9.900845e+06 1796523744545',
  'container_cpu_cfs_periods_total{container="app",id="/kubepods/burstable/pod1/c1",image="ghcr.io/acme/cart:1.19.0",name="c1",namespace="shop",pod="cart-1"} 1000 1796523744545',
  'container_cpu_cfs_periods_total{container="model",id="/kubepods/pod2/c2",image="x",name="c2",namespace="payments",pod="fraud-1"} 2000',
  '# HELP container_cpu_cfs_throttled_periods_total Number of throttled period intervals.',
  '# TYPE container_cpu_cfs_throttled_periods_total counter',
  'container_cpu_cfs_throttled_periods_total{container="app",id="/kubepods/burstable/pod1/c1",image="a \\"quoted\\" image",name="c1",namespace="shop",pod="cart-1"} 10 1796523744545',
  'container_cpu_cfs_throttled_periods_total{container="model",id="/kubepods/pod2/c2",image="x",name="c2",namespace="payments",pod="fraud-1"} 1900',
  'container_cpu_cfs_throttled_seconds_total{container="model",id="/kubepods/pod2/c2",image="x",name="c2",namespace="payments",pod="fraud-1"} 99',
  'container_cpu_usage_seconds_total{container="lone",cpu="total",namespace="shop",pod="x-1"} 5',
  'container_cpu_cfs_periods_total{container="lone",id="/x",image="",name="",namespace="shop",pod="x-1"} 7',
  '',
].join('\n');

test('parses the two CFS counters per container; pod cgroups and half-known containers are left out', () => {
  const counters = parseCfsCounters(TEXT);
  assert.deepEqual(
    [...counters].sort(([a], [b]) => a.localeCompare(b)),
    [
      ['payments/fraud-1/model', { periods: 2000, throttledPeriods: 1900 }],
      ['shop/cart-1/app', { periods: 1000, throttledPeriods: 10 }],
    ],
  );
  assert.equal(parseCfsCounters('garbage\ncontainer_cpu_cfs_periods_total{container="a",pod="p",namespace="n"} NaN').size, 0);
});

test('the ratio is the increase of throttled periods over the increase of periods; none without progress or after a reset', () => {
  assert.equal(throttledRatio(undefined, { periods: 10, throttledPeriods: 5 }), undefined);
  assert.equal(throttledRatio({ periods: 1000, throttledPeriods: 100 }, { periods: 1600, throttledPeriods: 250 }), 0.25);
  assert.equal(throttledRatio({ periods: 1000, throttledPeriods: 100 }, { periods: 1000, throttledPeriods: 100 }), undefined);
  // A restarted container's counters start again from zero.
  assert.equal(throttledRatio({ periods: 1000, throttledPeriods: 900 }, { periods: 600, throttledPeriods: 0 }), undefined);
  assert.equal(throttledRatio({ periods: 1000, throttledPeriods: 900 }, { periods: 1100, throttledPeriods: 1100 }), 1);
});

test('the tracker gives ratios from the second reading of a node, and forgets nodes that are gone', () => {
  const tracker = new ThrottleTracker();
  const reading = (periods: number, throttled: number) => new Map([['ns/p/c', { periods, throttledPeriods: throttled }]]);
  assert.deepEqual([...tracker.update('n1', reading(600, 0))], []);
  assert.deepEqual([...tracker.update('n1', reading(1200, 300))], [['ns/p/c', 0.5]]);
  // The same container name on another node does not mix with n1's counters.
  assert.deepEqual([...tracker.update('n2', reading(5000, 5000))], []);
  tracker.retain(new Set(['n2']));
  assert.deepEqual([...tracker.update('n1', reading(1800, 600))], []);
  assert.deepEqual([...tracker.update('n2', reading(5600, 5300))], [['ns/p/c', 0.5]]);
});

test('the path goes through the API server node proxy', () => {
  assert.equal(cadvisorPath('ip-10-0-1-2.eu-west-1.compute.internal'), '/api/v1/nodes/ip-10-0-1-2.eu-west-1.compute.internal/proxy/metrics/cadvisor');
  assert.equal(cadvisorPath('a/b'), '/api/v1/nodes/a%2Fb/proxy/metrics/cadvisor');
});
