/**
 * EJS rendering with one escaping path: every `<%= value %>` goes through yamlScalar, so nothing a user types
 * can add a key, a document, an anchor or a Flux substitution. Templates never use `<%-` (a test enforces it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { packageRoot } from './meta.js';


/** The only `${VAR}` references a rendered file may carry: Flux substitutes them from cluster-settings. */
export const FLUX_VARS = ['CNPG_OPERATOR_VERSION', 'CNPG_OPERATOR_REPLICAS'] as const;

const PLAIN_SAFE = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
// Scalars that YAML 1.1 (Kubernetes' sigs.k8s.io/yaml) or 1.2 would read as something other than a string.
const NOT_A_STRING = /^(?:y|yes|n|no|true|false|on|off|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d[\d_]*)?(?:e[-+]?\d+)?|0x[\da-f_]+|0o?[0-7_]+|[-+]?\.(?:inf|nan))$/i;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export class TemplateError extends Error {}

/** Serialise one value as a single-line YAML scalar that always reads back as exactly that value. */
export function yamlScalar(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TemplateError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new TemplateError(`cannot print a ${typeof value} into YAML`);
  for (const m of value.matchAll(/\$\{([^}]*)\}?/g)) {
    if (!(FLUX_VARS as readonly string[]).includes(m[1]) || !m[0].endsWith('}')) {
      throw new TemplateError(`refusing to print a Flux substitution ${JSON.stringify(m[0])}`);
    }
  }
  if (value !== '' && PLAIN_SAFE.test(value) && !NOT_A_STRING.test(value)) return value;
  if (PRINTABLE_ASCII.test(value) && !value.includes("'")) return `'${value}'`;
  // Double-quoted, with every non-ASCII or control character escaped.
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const cache = new Map<string, ejs.TemplateFunction>();

/** Render a template; `data`'s keys are the template's only variables (strict mode: a typo is an error). */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  let fn = cache.get(name);
  if (!fn) {
    const file = path.join(packageRoot(), 'templates', name);
    fn = ejs.compile(readFileSync(file, 'utf8'), { escape: yamlScalar, strict: true, destructuredLocals: Object.keys(data), filename: file });
    cache.set(name, fn);
  }
  return fn(data) as string;
}
