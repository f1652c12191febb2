/**
 * EJS rendering with one escaping path: every `<%= value %>` goes through yamlScalar (yaml-scalar.ts, shared with the patches), so nothing a user types
 * can add a key, a document, an anchor or a Flux substitution. Templates never use `<%-` (a test enforces it).
 * The templates are compiled at build time (scripts/compile-templates.js, strict mode, TEMPLATE_LOCALS as the only
 * variables), so a run neither loads ejs nor compiles anything.
 */
import { TEMPLATES, TEMPLATE_LOCALS } from './templates.compiled.js';
import { TemplateError, yamlScalar } from './yaml-scalar.js';

type Compiled = (locals: Record<string, unknown>, escapeFn: (value: unknown) => string) => string;

/** Render a template; `data` must hold exactly the template variables (strict mode: a typo is an error). */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  const fn = (TEMPLATES as Record<string, Compiled>)[name];
  if (!fn) throw new TemplateError(`no template ${name}`);
  const keys = Object.keys(data).sort();
  if (keys.join() !== [...TEMPLATE_LOCALS].sort().join()) throw new TemplateError(`template variables ${keys.join(', ')} are not ${TEMPLATE_LOCALS.join(', ')}`);
  return fn(data, (v) => yamlScalar(v));
}
