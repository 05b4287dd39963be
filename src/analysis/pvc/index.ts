// SPDX-License-Identifier: Apache-2.0
export { assessPvcFill, recentSlope, type PvcFill, type PvcFillInput, type PvcFinding, type PvcRule } from './pvc-fill.ts';
