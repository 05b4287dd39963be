// SPDX-License-Identifier: Apache-2.0
export * from './node-view.ts';
export * from './node-findings.ts';
export * from './n-minus-one.ts';
