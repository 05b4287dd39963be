// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qosClassOf } from './qos.ts';

const c = (requests?: Record<string, string>, limits?: Record<string, string>): { resources: { requests?: Record<string, string>; limits?: Record<string, string> } } => ({
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

test('qosClass follows the Kubernetes rules', () => {
  const cases: [string, ReturnType<typeof c>[], string][] = [
    ['no resources at all', [c()], 'BestEffort'],
    ['zero requests count as none', [c({ cpu: '0' })], 'BestEffort'],
    ['only ephemeral-storage is not cpu/memory', [c({ 'ephemeral-storage': '1Gi' })], 'BestEffort'],
    ['requests only', [c({ cpu: '100m' })], 'Burstable'],
    ['limits equal requests for cpu and memory', [c({ cpu: '1', memory: '1Gi' }, { cpu: '1000m', memory: '1024Mi' })], 'Guaranteed'],
    ['limits only (requests default to them)', [c(undefined, { cpu: '500m', memory: '256Mi' })], 'Guaranteed'],
    ['memory limit missing', [c({ cpu: '1', memory: '1Gi' }, { cpu: '1' })], 'Burstable'],
    ['one container not guaranteed', [c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), c({ cpu: '1' }, { cpu: '2', memory: '1Gi' })], 'Burstable'],
    ['one BestEffort container among guaranteed ones', [c(undefined, { cpu: '1', memory: '1Gi' }), c()], 'Burstable'],
  ];
  for (const [name, containers, want] of cases) assert.equal(qosClassOf(containers), want, name);
});
