// SPDX-License-Identifier: Apache-2.0
// Kubernetes label selectors in query strings (`app=web,tier!=db,env in (a,b),!legacy`), parsed once per request
// into a predicate over a pod's labels. A malformed selector is a 400 naming the parameter.
import { badRequest } from './query-params.ts';

/** A parsed selector: true when the labels match. */
export type LabelPredicate = (labels: Readonly<Record<string, string>>) => boolean;

const SET_RE = /^([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ_RE = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/;
const EXISTS_RE = /^(!?)([A-Za-z0-9./_-]+)$/;

function setRequirement(term: string): LabelPredicate | undefined {
  const m = SET_RE.exec(term);
  if (!m) return undefined;
  const [, key = '', op, list = ''] = m;
  const values = new Set(list.split(',').map((v) => v.trim()));
  return op === 'in' ? (l) => values.has(l[key] ?? '\u0000') : (l) => !values.has(l[key] ?? '\u0000');
}

function equalityRequirement(term: string): LabelPredicate | undefined {
  const m = EQ_RE.exec(term);
  if (!m) return undefined;
  const [, key = '', op, value] = m;
  return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
}

function existsRequirement(term: string): LabelPredicate | undefined {
  const m = EXISTS_RE.exec(term);
  if (!m) return undefined;
  const [, not, key = ''] = m;
  return not === '!' ? (l) => !Object.hasOwn(l, key) : (l) => Object.hasOwn(l, key);
}

function parseRequirement(term: string): LabelPredicate {
  const r = setRequirement(term) ?? equalityRequirement(term) ?? existsRequirement(term);
  if (r === undefined) throw badRequest('labelSelector is not a valid label selector.', { parameter: 'labelSelector', term });
  return r;
}

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  terms.push(current.trim());
  return terms.filter((t) => t.length > 0);
}

/** Parses a Kubernetes label selector; throws KRM_API_BAD_REQUEST when malformed. */
export function parseLabelSelector(selector: string): LabelPredicate {
  const requirements = splitTerms(selector).map(parseRequirement);
  return (labels) => requirements.every((r) => r(labels));
}
