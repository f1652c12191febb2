/**
 * Upstream truth for tests: the saved CRDs (Flux, VictoriaMetrics, Prometheus-Operator), the cloudnative-pg chart's
 * values.yaml and values.schema.json, Flux's postBuild substitution, and PromQL selectors read from the parse tree.
 *
 * The data is a vendored copy of ../shared/upstream in test/upstream (see its SOURCES.md); CNPG_UPSTREAM_DIR overrides it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { metricCatalogue } from './metrics.js';
import { analysePromql } from './promql.js';

// ajv is CommonJS: its default export arrives as the module object, whose `default` is the class.
const Ajv = AjvModule.default;

/** The repo root: this file runs as <root>/dist/test/helpers/upstream.js. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The shared copy beside the repo (CI lays it there), when present. */
export const SHARED_UPSTREAM_DIR = path.resolve(REPO_ROOT, '../shared/upstream');
/** A vendored, unchanged copy in test/upstream keeps the suite self-contained on any clone. */
export const VENDORED_UPSTREAM_DIR = path.join(REPO_ROOT, 'test/upstream');
export const UPSTREAM_DIR = process.env.CNPG_UPSTREAM_DIR ?? VENDORED_UPSTREAM_DIR;

export const CHART_VERSIONS = ['0.26.0', '0.26.1', '0.29.0'] as const;
export const FLUX_VERSIONS = ['2.6.0', '2.7.0'] as const;
export const VM_OPERATOR_VERSION = '0.74.1';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function upstreamFile(rel: string): string {
  const p = path.join(UPSTREAM_DIR, rel);
  if (!existsSync(p)) throw new Error(`upstream file missing: ${p}`);
  return readFileSync(p, 'utf8');
}

// ---------------------------------------------------------------------------
// Flux postBuild substitution
// ---------------------------------------------------------------------------

const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export interface Substitution {
  text: string;
  /** Variables referenced as ${VAR...} (in order of appearance, duplicates kept out). */
  referenced: string[];
  /** Referenced variables that had no value and no default: Flux replaces them with an empty string. */
  undefinedVars: string[];
}

/**
 * Flux kustomize-controller postBuild substitution, textual and before YAML parsing:
 * `${VAR}`, `${VAR:=default}` / `${VAR:-default}` (default when unset or empty), `${VAR=default}` /
 * `${VAR-default}` (default when unset); an undefined `${VAR}` becomes ""; `$VAR` without braces is left
 * alone (so `{{ $labels.pod }}` survives); `$${VAR}` is an escape for a literal `${VAR}`.
 * Any other `${...}` form throws, so a test notices syntax this helper does not model.
 */
export function fluxSubstitute(text: string, vars: Readonly<Record<string, string>>): Substitution {
  const referenced: string[] = [];
  const undefinedVars: string[] = [];
  const open = /(?<!\$)\$\{[^}\n]*(?:\n|$)/.exec(text);
  if (open) throw new Error(`unterminated Flux substitution ${JSON.stringify(open[0].trimEnd())}`);
  const out = text.replace(/\$\$\{|\$\{([^}]*)\}/g, (whole, body: string | undefined) => {
    if (body === undefined) return '${';
    const m = /^([^:=\-]*)(?:(:?[=-])(.*))?$/s.exec(body);
    if (!m || !VAR_NAME.test(m[1])) throw new Error(`unsupported Flux substitution ${whole}`);
    const [, name, op, def] = m;
    if (!referenced.includes(name)) referenced.push(name);
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (op === undefined) {
      if (value === undefined && !undefinedVars.includes(name)) undefinedVars.push(name);
      return value ?? '';
    }
    const useDefault = op.startsWith(':') ? value === undefined || value === '' : value === undefined;
    return useDefault ? def : (value as string);
  });
  return { text: out, referenced, undefinedVars };
}

// ---------------------------------------------------------------------------
// CRD openAPIV3Schema -> strict JSON schema
// ---------------------------------------------------------------------------

export interface Crd {
  group: string;
  kind: string;
  namespaced: boolean;
  versions: Map<string, JsonObject>;
}

const crdCache = new Map<string, Crd>();

export function loadCrd(rel: string): Crd {
  let crd = crdCache.get(rel);
  if (crd) return crd;
  const docs = parseAllDocuments(upstreamFile(rel)).map((d) => d.toJS() as unknown);
  const doc = docs.find((d) => isPlainObject(d) && d.kind === 'CustomResourceDefinition') as JsonObject | undefined;
  if (!doc) throw new Error(`${rel}: no CustomResourceDefinition`);
  const spec = doc.spec as JsonObject;
  const versions = new Map<string, JsonObject>();
  for (const v of spec.versions as JsonObject[]) {
    versions.set(v.name as string, (v.schema as JsonObject).openAPIV3Schema as JsonObject);
  }
  crd = { group: spec.group as string, kind: (spec.names as JsonObject).kind as string, namespaced: spec.scope === 'Namespaced', versions };
  crdCache.set(rel, crd);
  return crd;
}

/** Formats the saved CRDs use; anything else makes strictCrdSchema throw (so nothing is silently skipped). */
const KNOWN_FORMATS = new Set(['int32', 'int64', 'date-time']);

function closeSchema(s: Json, where: string): Json {
  if (!isPlainObject(s)) return s;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-')) continue; // kept below where it changes the meaning
    if (k === 'properties' && isPlainObject(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, closeSchema(ps, `${where}.${p}`)]));
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not') {
      out[k] = closeSchema(v, `${where}[${k}]`);
    } else if ((k === 'anyOf' || k === 'allOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((x, i) => closeSchema(x, `${where}/${k}/${i}`));
    } else out[k] = v;
  }
  if (typeof out.format === 'string' && !KNOWN_FORMATS.has(out.format)) throw new Error(`${where}: unknown format ${out.format}`);
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const isObject = s.type === 'object' || isPlainObject(s.properties);
  // Kubernetes prunes every field a structural schema does not name: in JSON-schema terms the object is closed.
  if (isObject && !preserve && s.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/**
 * The CRD's openAPIV3Schema for `version`, made strict: every object that names its properties (and has neither
 * additionalProperties nor x-kubernetes-preserve-unknown-fields: true) gets additionalProperties: false, so a
 * field the CRD does not know is an error rather than silently pruned. apiVersion and kind must be this CRD's;
 * metadata is only required to be an object with a name (and a namespace when the kind is namespaced).
 */
export function strictCrdSchema(crd: Crd, version: string): JsonObject {
  const raw = crd.versions.get(version);
  if (!raw) throw new Error(`CRD ${crd.kind}: no version ${version} (have ${[...crd.versions.keys()].join(', ')})`);
  const schema = closeSchema(raw, crd.kind) as JsonObject;
  const props = { ...(schema.properties as JsonObject) };
  props.apiVersion = { const: `${crd.group}/${version}` };
  props.kind = { const: crd.kind };
  props.metadata = {
    type: 'object',
    required: crd.namespaced ? ['name', 'namespace'] : ['name'],
    properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string', minLength: 1 } },
  };
  return { ...schema, properties: props, required: [...new Set(['apiVersion', 'kind', 'metadata', ...((schema.required as string[]) ?? [])])] };
}

/**
 * CRD patterns are Go RE2 expressions. The one RE2 form the saved CRDs use that JavaScript lacks is a leading
 * case-insensitive flag `(?i)` (after an optional `^`): it becomes the `i` flag. Anything else RE2-only makes
 * RegExp throw, so a schema this helper cannot read is noticed.
 */
function re2(pattern: string, flags: string): RegExp {
  const m = /^(\^?)\(\?i\)/.exec(pattern);
  return m ? new RegExp(m[1] + pattern.slice(m[0].length), `${flags}i`) : new RegExp(pattern, flags);
}

function newAjv() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { regExp: re2 as never } });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  return ajv;
}

const validatorCache = new Map<string, ValidateFunction>();

/** A cached strict validator for `kind` at `version` from the CRD file `rel` (relative to UPSTREAM_DIR). */
export function crdValidator(rel: string, version: string): ValidateFunction {
  const key = `${rel}@${version}`;
  let v = validatorCache.get(key);
  if (!v) {
    v = newAjv().compile(strictCrdSchema(loadCrd(rel), version));
    validatorCache.set(key, v);
  }
  return v;
}

/** Readable, stable error lines: `<instance path>: <message> [schema <schema path>]`. */
export function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}`
          : '';
    return `${e.instancePath || '/'}: ${e.message}${extra} [schema ${e.schemaPath}]`;
  });
}

export function validateWith(validate: ValidateFunction, obj: unknown): string[] {
  return validate(obj) ? [] : formatErrors(validate.errors);
}

/** Where each Flux kind's CRD is saved, per Flux release. */
export const FLUX_CRDS = {
  HelmRelease: { file: 'helm.toolkit.fluxcd.io_helmreleases.yaml', apiVersion: 'helm.toolkit.fluxcd.io/v2' },
  OCIRepository: { file: 'source.toolkit.fluxcd.io_ocirepositories.yaml', apiVersion: 'source.toolkit.fluxcd.io/v1' },
  Kustomization: { file: 'kustomize.toolkit.fluxcd.io_kustomizations.yaml', apiVersion: 'kustomize.toolkit.fluxcd.io/v1' },
} as const;

export const VM_CRDS = {
  VMPodScrape: { file: 'vmpodscrapes.descriptionless.crd.yaml', apiVersion: 'operator.victoriametrics.com/v1beta1' },
  VMRule: { file: 'vmrules.descriptionless.crd.yaml', apiVersion: 'operator.victoriametrics.com/v1beta1' },
} as const;

export const PROM_OPERATOR_VERSION = '0.93.0';

export const PROM_CRDS = {
  PodMonitor: { file: 'monitoring.coreos.com_podmonitors.yaml', apiVersion: 'monitoring.coreos.com/v1' },
  PrometheusRule: { file: 'monitoring.coreos.com_prometheusrules.yaml', apiVersion: 'monitoring.coreos.com/v1' },
} as const;

export function promValidator(kind: keyof typeof PROM_CRDS): ValidateFunction {
  const c = PROM_CRDS[kind];
  return crdValidator(`prometheus-operator-v${PROM_OPERATOR_VERSION}/${c.file}`, c.apiVersion.split('/')[1]);
}

export function fluxValidator(fluxVersion: string, kind: keyof typeof FLUX_CRDS): ValidateFunction {
  const c = FLUX_CRDS[kind];
  return crdValidator(`flux-v${fluxVersion}/${c.file}`, c.apiVersion.split('/')[1]);
}

export function vmValidator(kind: keyof typeof VM_CRDS): ValidateFunction {
  const c = VM_CRDS[kind];
  return crdValidator(`victoriametrics-operator-v${VM_OPERATOR_VERSION}/${c.file}`, c.apiVersion.split('/')[1]);
}

// ---------------------------------------------------------------------------
// The cloudnative-pg chart's values
// ---------------------------------------------------------------------------

const chartValuesCache = new Map<string, JsonObject>();

/** The chart's values.yaml (its defaults) at `version`. */
export function chartValues(version: string): JsonObject {
  let v = chartValuesCache.get(version);
  if (!v) {
    v = parse(upstreamFile(`cloudnative-pg-chart-${version}/values.yaml`)) as JsonObject;
    chartValuesCache.set(version, v);
  }
  return v;
}

const chartSchemaCache = new Map<string, ValidateFunction>();

/** The chart's values.schema.json as Helm applies it (draft-07 semantics; `$schema` dropped for ajv). */
export function chartSchemaValidator(version: string): ValidateFunction {
  let v = chartSchemaCache.get(version);
  if (!v) {
    const schema = JSON.parse(upstreamFile(`cloudnative-pg-chart-${version}/values.schema.json`)) as JsonObject;
    delete schema.$schema;
    v = newAjv().compile(schema);
    chartSchemaCache.set(version, v);
  }
  return v;
}

/**
 * Key paths in `values` the chart does not know. A key is known when the chart's values.yaml has the same key at
 * the same path; below a chart default of `{}` (resources, affinity, podLabels, nodeSelector, ...) any key is
 * accepted. A map given where the chart default is a scalar or a list is reported too. Lists are not walked.
 */
export function unknownValueKeys(values: Json, defaults: Json, at = ''): string[] {
  if (!isPlainObject(values)) return [];
  if (!isPlainObject(defaults)) {
    return defaults === null || defaults === undefined ? [] : [`${at || '.'} (a map, but the chart default is ${JSON.stringify(defaults)})`];
  }
  if (Object.keys(defaults).length === 0) return []; // free-form map
  const out: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    const p = at ? `${at}.${k}` : k;
    if (!Object.hasOwn(defaults, k)) out.push(p);
    else out.push(...unknownValueKeys(v, defaults[k], p));
  }
  return out;
}

// ---------------------------------------------------------------------------
// PromQL (read with Prometheus' own grammar: ./promql.ts)
// ---------------------------------------------------------------------------

/** Every metric upstream exports that an alert may use (./metrics.ts: vendored extracts + a sourced list). */
export function allowedMetrics(): ReadonlySet<string> {
  return new Set(metricCatalogue().keys());
}

export interface Selector {
  metric: string;
  /** label -> [operator, value] of the selector's matchers (values unquoted). */
  matchers: Record<string, [string, string]>;
}

/** Every vector selector of a PromQL expression, from the parse tree; an expression with a syntax error throws. */
export function promqlSelectors(expr: string): Selector[] {
  const a = analysePromql(expr);
  if (a.errors.length > 0) throw new Error(`PromQL does not parse: ${a.errors.join('; ')} in ${expr}`);
  return a.selectors.map((s) => ({ metric: s.metric, matchers: Object.fromEntries(s.matchers.map((m) => [m.label, [m.op, m.value] as [string, string]])) }));
}

export function promqlMetricNames(expr: string): string[] {
  return [...new Set(promqlSelectors(expr).map((x) => x.metric))];
}
