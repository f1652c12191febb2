/**
 * EJS rendering with one escaping path: every `<%= value %>` goes through yamlScalar, so nothing a user types
 * can add a key, a document, an anchor or a Flux substitution. Templates never use `<%-` (a test enforces it).
 * The templates are compiled at build time (scripts/compile-templates.js, strict mode, TEMPLATE_LOCALS as the only
 * variables), so a run neither loads ejs nor compiles anything.
 */
import { TEMPLATES, TEMPLATE_LOCALS } from './templates.compiled.js';


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

type Compiled = (locals: Record<string, unknown>, escapeFn: (value: unknown) => string) => string;

/** Render a template; `data` must hold exactly the template variables (strict mode: a typo is an error). */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  const fn = (TEMPLATES as Record<string, Compiled>)[name];
  if (!fn) throw new TemplateError(`no template ${name}`);
  const keys = Object.keys(data).sort();
  if (keys.join() !== [...TEMPLATE_LOCALS].sort().join()) throw new TemplateError(`template variables ${keys.join(', ')} are not ${TEMPLATE_LOCALS.join(', ')}`);
  return fn(data, yamlScalar);
}
