/**
 * Kubernetes label maps a user gives (`--monitoring-labels key=value,...` or the map stored in .yo-rc.json), checked
 * with the rules of apimachinery's validation.IsQualifiedName (keys) and IsValidLabelValue (values), so nothing a user
 * types can reach a manifest except a valid label. Rendering goes through render.ts's one serialiser anyway.
 */
import { InputError } from './errors.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

// Kubernetes label syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue).
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Labels the generated scrape and rule objects already carry: a second value would be a duplicate YAML key. */
export const FIXED_MONITORING_LABELS: readonly string[] = ['app.kubernetes.io/name'];

function labelKey(key: string): string {
  if (key === '') throw new InputError('has an empty label key');
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash === -1 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined) {
    if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix) || prefix.split('.').some((p) => p.length > 63)) {
      throw new InputError(`label key ${JSON.stringify(key)}: the prefix before "/" must be a DNS-1123 subdomain`);
    }
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    throw new InputError(`label key ${JSON.stringify(key)}: the name must be at most 63 characters of a-z, A-Z, 0-9, "-", "_", ".", starting and ending alphanumeric`);
  }
  if (FIXED_MONITORING_LABELS.includes(key)) throw new InputError(`label key ${JSON.stringify(key)} is set by the generator`);
  return key;
}

function labelValue(key: string, value: string): string {
  if (value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
    throw new InputError(`label ${JSON.stringify(key)}: value ${JSON.stringify(value)} must be at most 63 characters of a-z, A-Z, 0-9, "-", "_", ".", starting and ending alphanumeric (or empty)`);
  }
  return value;
}

/** `k=v,k2=v2` (a flag or prompt) or `{"k":"v"}` (.yo-rc.json) -> a map with sorted keys; every key and value checked. */
export function labelMap(raw: unknown): Record<string, string> {
  const pairs: [string, string][] = [];
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new InputError(`label ${JSON.stringify(k)}: value must be a string, got ${v === null ? 'null' : typeof v}`);
      pairs.push([k, v]);
    }
  } else {
    if (typeof raw !== 'string') throw new InputError(`expected key=value pairs, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`);
    const s = raw.trim();
    for (const item of s === '' ? [] : s.split(',')) {
      const eq = item.indexOf('=');
      if (eq === -1) throw new InputError(`${JSON.stringify(item.trim())} is not key=value`);
      pairs.push([item.slice(0, eq).trim(), item.slice(eq + 1).trim()]);
    }
  }
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) {
    labelKey(k);
    if (Object.hasOwn(out, k) && out[k] !== v) throw new InputError(`label ${JSON.stringify(k)} is given twice`);
    out[k] = labelValue(k, v);
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

/**
 * The labels to suggest for a kube-prometheus-stack install: its Prometheus selects PodMonitors and
 * PrometheusRules by `release: <its Helm release name>` by default. Undefined without a release name.
 */
export function suggestMonitoringLabels(kpsReleaseName: string | undefined): Record<string, string> | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent, labelMap refuses an undefined value and the catch below says undefined
  if (kpsReleaseName === undefined || kpsReleaseName === '') return undefined;
  // Stryker disable BlockStatement: equivalent, an empty catch also returns undefined
  try {
    return labelMap({ release: kpsReleaseName });
  } catch {
    return undefined;
  }
  // Stryker restore BlockStatement
}

