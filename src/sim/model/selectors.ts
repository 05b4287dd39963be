// SPDX-License-Identifier: Apache-2.0
// Label and field selectors with the syntax the API server accepts (apimachinery labels.Parse and fields.Parse):
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a` for labels; `f=v`, `f==v`, `f!=v` for fields.
import type { KubeObject } from './kube-types.ts';

export type Predicate = (obj: KubeObject) => boolean;

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

interface LabelReq {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

const KEY_RE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, term: string): string {
  if (!KEY_RE.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${term}"`);
  return key;
}

function parseLabelTerm(term: string): LabelReq {
  const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (setMatch) {
    const values = (setMatch[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    return { key: checkKey(setMatch[1] ?? '', term), op: setMatch[2] === 'in' ? 'in' : 'notin', values };
  }
  const eqMatch = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(term);
  if (eqMatch) {
    const key = checkKey(eqMatch[1] ?? '', term);
    return { key, op: eqMatch[2] === '!=' ? 'notin' : 'in', values: [eqMatch[3] ?? ''] };
  }
  if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim(), term), op: '!', values: [] };
  return { key: checkKey(term, term), op: 'exists', values: [] };
}

function matchLabel(req: LabelReq, labels: Record<string, string> | undefined): boolean {
  const v = labels?.[req.key];
  switch (req.op) {
    case 'exists':
      return v !== undefined;
    case '!':
      return v === undefined;
    case 'in':
      return v !== undefined && req.values.includes(v);
    case 'notin':
      return v === undefined || !req.values.includes(v);
  }
}

/** Parses a label selector; an empty selector matches everything. Throws SelectorError on bad syntax. */
export function parseLabelSelector(selector: string | undefined): Predicate | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (obj) => reqs.every((r) => matchLabel(r, obj.metadata.labels));
}

/** Reads a dotted field path such as `spec.nodeName` or `involvedObject.kind` from an object. */
export function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : String(cur);
}

/**
 * Field selectors a real API server supports per kind. Every kind supports metadata.name and metadata.namespace;
 * an unsupported field is a 400 error ("field label not supported"), as the real server answers.
 */
const FIELDS: Record<string, readonly string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  'jobs.batch': ['status.successful'],
  'replicasets.apps': ['status.replicas'],
};

function resolveField(storeKey: string, field: string): string {
  if (field === 'metadata.name' || field === 'metadata.namespace') return field;
  if (!(FIELDS[storeKey] ?? []).includes(field)) {
    throw new SelectorError(`field label not supported: ${field}`);
  }
  // Events index the reporting source as `source`, stored as source.component.
  return field === 'source' ? 'source.component' : field;
}

/** Parses a field selector for the given store key. Throws SelectorError on bad syntax or unsupported fields. */
export function parseFieldSelector(storeKey: string, selector: string | undefined): Predicate | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  const reqs = selector.split(',').map((term) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    return { path: resolveField(storeKey, m[1] ?? ''), neg: m[2] === '!=', value: m[3] ?? '' };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.neg);
}

/** Combines optional predicates into one (undefined when none). */
export function allOf(...preds: (Predicate | undefined)[]): Predicate | undefined {
  const ps = preds.filter((p): p is Predicate => p !== undefined);
  if (ps.length === 0) return undefined;
  if (ps.length === 1) return ps[0];
  return (obj) => ps.every((p) => p(obj));
}
