/**
 * The one YAML scalar serialiser, used by the templates (render.ts, as EJS's escape function) and by every
 * in-place patch (patch/*.ts). A value always reads back as exactly that value, on one line, in YAML 1.2 and in
 * the YAML 1.1 that Kubernetes' sigs.k8s.io/yaml speaks: nothing a user types can add a key, a document, an
 * anchor or a Flux substitution.
 */

/** The only `${VAR}` references a value may carry: Flux substitutes them from cluster-settings. */
export const FLUX_VARS = ['CNPG_OPERATOR_VERSION', 'CNPG_OPERATOR_REPLICAS'] as const;

/** A value that cannot be printed into YAML (a programming error, or a stray Flux substitution). */
export class TemplateError extends Error {}

/** Plain scalars we print unquoted: paths, names, versions and URLs (`oci://host/a/b`), an optional `./` prefix. */
const PLAIN_SAFE = /^(?:\.\/)?[A-Za-z0-9_/][A-Za-z0-9_./@+=-]*(?::[A-Za-z0-9_./@+=-]+)*$/;
// Plain scalars that YAML 1.1 or 1.2 would read as something other than a string: booleans, null, numbers
// (including 1.1's sexagesimal, binary and octal forms) and timestamps.
const NOT_A_STRING =
  /^(?:y|yes|n|no|true|false|on|off|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d[\d_]*)?(?:e[-+]?\d+)?|0x[\da-f_]+|0b[01_]+|0o?[0-7_]+|[-+]?\.(?:inf|nan)|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$/i;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * How a string is quoted. `auto` (templates): plain when safe, else single quotes, else double. `plain-or-double`
 * (patches, the style of hand-written helmfiles and kustomizations): plain when safe, else double quotes.
 * `single` and `double` keep the style of a value being replaced (single only for printable ASCII).
 */
export type ScalarStyle = 'auto' | 'plain-or-double' | 'single' | 'double';

/** `s` double-quoted, ASCII only: JSON escapes (valid in YAML), `\uXXXX` / `\UXXXXXXXX` for everything else. */
export function doubleQuoted(s: string): string {
  // The surrogate pair first: `[\u007f-\uffff]` alone matched its halves, two `\u` escapes of surrogates, which
  // YAML defines as no character (only some readers join them); one `\UXXXXXXXX` is the character.
  return JSON.stringify(s).replace(/[\ud800-\udbff][\udc00-\udfff]|[\u007f-\uffff]/g, (c) => {
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

function refuseFluxSubstitution(value: string): void {
  for (const m of value.matchAll(/\$\{([^}]*)\}?/g)) {
    if (!(FLUX_VARS as readonly string[]).includes(m[1]) || !m[0].endsWith('}')) {
      throw new TemplateError(`refusing to print a Flux substitution ${JSON.stringify(m[0])}`);
    }
  }
}

/**
 * Serialise one value as a single-line YAML scalar that reads back as exactly that value. Numbers and booleans
 * are printed as such; strings in `style` (single quotes only for printable ASCII, else double).
 */
export function yamlScalar(value: unknown, style: ScalarStyle = 'auto'): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TemplateError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new TemplateError(`cannot print a ${typeof value} into YAML`);
  refuseFluxSubstitution(value);
  if (style === 'double') return doubleQuoted(value);
  const plainAllowed = style === 'auto' || style === 'plain-or-double';
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, PLAIN_SAFE needs one character, so '' is never plain
  if (plainAllowed && value !== '' && PLAIN_SAFE.test(value) && !NOT_A_STRING.test(value)) return value;
  if (style === 'plain-or-double') return doubleQuoted(value);
  if (PRINTABLE_ASCII.test(value) && (style === 'single' || !value.includes("'"))) return `'${value.replace(/'/g, "''")}'`;
  return doubleQuoted(value);
}
