// SPDX-License-Identifier: Apache-2.0
export * from './quota-usage.ts';
export * from './limit-range.ts';
export * from './showback.ts';
