/**
 * The one table of settings. Flags (bin and Yeoman), prompts, validation, stored answers (.yo-rc.json) and
 * --help are all derived from SETTINGS and ACTIONS, so they cannot drift apart.
 */
import { InputError } from './errors.js';
import { labelMap } from './labels.js';
import { MAX_ROLLOUT_DELAY_SECONDS, parseRolloutDelay } from './rollout-delay.js';
import { LAYOUT_NAMES, type LayoutName } from './layout.js';
import { CHART_TO_OPERATOR, EXACT_VERSION, chartsShipping, kubeRequirement, operatorVersionOf } from './versions.js';

export type Monitoring = 'victoria-metrics' | 'prometheus-operator' | 'none';

export interface Answers {
  cluster: string[];
  namespace: string;
  replicas: number;
  chartVersion: string;
  storageClass: string;
  monitoring: Monitoring;
  dependsOn: string[];
  /** Extra metadata.labels of the scrape and rule objects (e.g. release=kube-prometheus-stack), keys sorted. */
  monitoringLabels: Record<string, string>;
  /** config.data.ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: "true" in the HelmRelease values. */
  inplaceUpdates: boolean;
  /** config.data.CLUSTERS_ROLLOUT_DELAY (seconds between the roll-outs of different clusters); null: not set (operator default 0). */
  clustersRolloutDelay: number | null;
  /** config.data.INSTANCES_ROLLOUT_DELAY (seconds between the roll-outs of one cluster's instances); null: not set. */
  instancesRolloutDelay: number | null;
  /** The repo layout (layout.ts): detected by the census, overridable with --layout. */
  layout: LayoutName;
}

export type SettingKey = keyof Answers;

export interface Setting<K extends SettingKey = SettingKey> {
  key: K;
  /** Flag on the bin, without dashes. */
  flag: string;
  /** Extra spellings accepted by the bin. */
  aliases?: string[];
  /** Option name in the Yeoman door (Yeoman reserves some names, e.g. `namespace`). */
  yeomanOption: string;
  default: Answers[K];
  /** What is valid, shown in --help and in every refusal. */
  valid: string;
  /** Prompt text; settings without one are never prompted. */
  message?: string;
  choices?: readonly string[];
  /** Parse a raw value (a flag string, a prompt answer or a stored JSON value); throws InputError(reason). */
  parse(raw: unknown): Answers[K];
  /** Form for .yo-rc.json and for the prompt's prefilled default. */
  show(value: Answers[K]): string;
  /** Non-fatal remarks about a valid value. */
  warn?(value: Answers[K]): string[];
  /** Prompt only when this holds for the answers so far (absent: always, when the setting has a message). */
  askWhen?(answers: Answers): boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function asString(raw: unknown): string {
  // Stryker disable next-line ConditionalExpression: equivalent: Number.isFinite is false for anything but a number
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') throw new InputError(`expected a string, got ${raw === null ? 'null' : typeof raw}`);
  return raw;
}

function dnsLabel(raw: unknown, max = 63): string {
  const s = asString(raw);
  if (s.length === 0) throw new InputError('must not be empty');
  if (s.length > max) throw new InputError(`is ${s.length} characters long, at most ${max} allowed`);
  if (!DNS_LABEL.test(s)) throw new InputError('must be a DNS-1123 label (lowercase a-z, 0-9 and "-", starting and ending alphanumeric)');
  return s;
}

function dnsSubdomain(raw: unknown): string {
  const s = asString(raw);
  if (s.length === 0) throw new InputError('must not be empty');
  if (s.length > 253) throw new InputError(`is ${s.length} characters long, at most 253 allowed`);
  if (!DNS_SUBDOMAIN.test(s) || s.split('.').some((part) => part.length > 63)) {
    throw new InputError('must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", each part starting and ending alphanumeric)');
  }
  return s;
}

function list(raw: unknown, item: (v: unknown) => string, allowEmpty: boolean): string[] {
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else {
    const s = asString(raw).trim();
    items = s === '' ? [] : s.split(',').map((x) => x.trim());
  }
  if (items.length === 0 && !allowEmpty) throw new InputError('must not be empty');
  const out: string[] = [];
  for (const [i, v] of items.entries()) {
    let parsed: string;
    try {
      parsed = item(v);
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: equivalent: the item parsers (dnsLabel, dnsSubdomain) throw only InputError
      if (e instanceof InputError) throw new InputError(`item ${i + 1} (${JSON.stringify(v)}) ${e.message}`);
      throw e;
    }
    if (!out.includes(parsed)) out.push(parsed);
  }
  return out;
}

export const SETTINGS: readonly Setting[] = [
  {
    key: 'cluster',
    flag: 'cluster',
    yeomanOption: 'cluster',
    default: ['infra'],
    valid: 'DNS-1123 labels, comma-separated; each selects kubernetes/clusters/<cluster>/cluster-settings.yaml',
    message: 'Cluster(s) whose cluster-settings.yaml to patch (comma-separated)',
    parse: (raw) => list(raw, (v) => dnsLabel(v), false),
    show: (v: string[]) => v.join(','),
    askWhen: (answers: Answers) => answers.layout !== 'apps',
  } as Setting<'cluster'>,
  {
    key: 'namespace',
    flag: 'namespace',
    aliases: ['operator-namespace'],
    yeomanOption: 'operator-namespace',
    default: 'cnpg-system',
    valid: 'a DNS-1123 label, at most 63 characters',
    message: 'Namespace for the operator',
    parse: (raw) => dnsLabel(raw),
    show: (v: string) => v,
  } as Setting<'namespace'>,
  {
    key: 'replicas',
    flag: 'replicas',
    yeomanOption: 'replicas',
    default: 2,
    valid: 'an integer from 1 to 10',
    message: 'Operator replicas',
    parse: (raw) => {
      const s = asString(raw).trim();
      if (!/^\d{1,2}$/.test(s)) throw new InputError('must be an integer from 1 to 10');
      const n = Number(s);
      if (n < 1 || n > 10) throw new InputError('must be an integer from 1 to 10');
      return n;
    },
    show: (v: number) => String(v),
    warn: (v: number) =>
      v === 1 ? ['--replicas 1: the PodDisruptionBudget (minAvailable: 1) will block node drains while the single operator pod runs there'] : [],
  } as Setting<'replicas'>,
  {
    key: 'chartVersion',
    flag: 'chart-version',
    yeomanOption: 'chart-version',
    default: '0.26.0',
    valid: `an exact chart version X.Y.Z, e.g. ${Object.keys(CHART_TO_OPERATOR).slice(-4).join(', ')}`,
    message: 'cloudnative-pg Helm chart version',
    parse: (raw) => {
      const s = asString(raw).trim();
      if (s === '') throw new InputError('must not be empty');
      if (!EXACT_VERSION.test(s)) {
        throw new InputError(`must be an exact chart version X.Y.Z (no "latest", ranges, "v" prefix or partial versions)`);
      }
      const charts = chartsShipping(s);
      if (charts.length > 0) {
        throw new InputError(`${s} is an operator version, not a chart version: use chart ${charts[0]}` +
          (charts.length > 1 ? ` (also shipped by ${charts.slice(1).join(', ')})` : ''));
      }
      return s;
    },
    show: (v: string) => v,
    warn: (v: string) =>
      operatorVersionOf(v) === undefined
        ? [`--chart-version ${v} is not in this generator's table of known charts (${Object.keys(CHART_TO_OPERATOR)[0]}..${Object.keys(CHART_TO_OPERATOR).at(-1)}); its operator version is unknown and its values were not checked`]
        : [kubeRequirement(v)].filter((x): x is string => x !== undefined),
  } as Setting<'chartVersion'>,
  {
    key: 'storageClass',
    flag: 'storage-class',
    yeomanOption: 'storage-class',
    default: 'ceph-block',
    valid: 'a DNS-1123 subdomain (a StorageClass name)',
    message: 'StorageClass for PostgreSQL volumes (BLOCK_SC)',
    parse: (raw) => dnsSubdomain(raw),
    show: (v: string) => v,
    askWhen: (answers: Answers) => answers.layout !== 'apps',
  } as Setting<'storageClass'>,
  {
    key: 'monitoring',
    flag: 'monitoring',
    yeomanOption: 'monitoring',
    default: 'victoria-metrics',
    valid: 'one of victoria-metrics, prometheus-operator, none',
    choices: ['victoria-metrics', 'prometheus-operator', 'none'],
    message: 'Monitoring stack for the operator scrape and alerts',
    parse: (raw) => {
      const s = asString(raw).trim();
      if (s !== 'victoria-metrics' && s !== 'prometheus-operator' && s !== 'none') {
        throw new InputError('must be one of victoria-metrics, prometheus-operator, none');
      }
      return s;
    },
    show: (v: string) => v,
  } as Setting<'monitoring'>,
  {
    key: 'dependsOn',
    flag: 'depends-on',
    yeomanOption: 'depends-on',
    default: [],
    valid: 'Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none',
    parse: (raw) => list(raw, (v) => dnsSubdomain(v), true),
    show: (v: string[]) => v.join(','),
  } as Setting<'dependsOn'>,
  {
    key: 'monitoringLabels',
    flag: 'monitoring-labels',
    yeomanOption: 'monitoring-labels',
    default: {},
    valid: 'Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none',
    message: 'Labels for the scrape and rule objects, so your Prometheus/VMAgent selects them (key=value, comma-separated)',
    askWhen: (answers: Answers) => answers.monitoring !== 'none',
    parse: (raw) => labelMap(raw),
    show: (v: Record<string, string>) => Object.entries(v).map(([k, x]) => `${k}=${x}`).join(','),
  } as Setting<'monitoringLabels'>,
  {
    key: 'inplaceUpdates',
    flag: 'inplace-updates',
    yeomanOption: 'inplace-updates',
    default: false,
    valid: 'true or false',
    choices: ['false', 'true'],
    message: 'Update the instance manager in place on operator upgrades (no PostgreSQL pod restart per chart bump)',
    parse: (raw) => {
      if (typeof raw === 'boolean') return raw;
      const s = asString(raw).trim();
      if (s !== 'true' && s !== 'false') throw new InputError('must be true or false');
      return s === 'true';
    },
    show: (v: boolean) => String(v),
  } as Setting<'inplaceUpdates'>,
  rolloutDelaySetting('clustersRolloutDelay', 'clusters-rollout-delay'),
  rolloutDelaySetting('instancesRolloutDelay', 'instances-rollout-delay'),
  {
    key: 'layout',
    flag: 'layout',
    yeomanOption: 'layout',
    default: 'infrastructure',
    valid: `one of ${LAYOUT_NAMES.join(', ')} (default: detected from the repo; an empty repo is infrastructure)`,
    choices: LAYOUT_NAMES,
    parse: (raw) => {
      const s = asString(raw).trim();
      if (!(LAYOUT_NAMES as readonly string[]).includes(s)) throw new InputError(`must be one of ${LAYOUT_NAMES.join(', ')}`);
      return s as LayoutName;
    },
    show: (v: string) => v,
  } as Setting<'layout'>,
];

/** Settings that mean nothing in a layout (apps has no cluster settings): never asked, never stored there. */
export function appliesIn(key: SettingKey, layout: LayoutName): boolean {
  return layout !== 'apps' || (key !== 'cluster' && key !== 'storageClass');
}

/** A pacing delay of the operator (issue 13 point 6): stored, never prompted; empty (or null in .yo-rc.json) unsets it. */
function rolloutDelaySetting<K extends 'clustersRolloutDelay' | 'instancesRolloutDelay'>(key: K, flag: string): Setting<K> {
  return {
    key,
    flag,
    yeomanOption: flag,
    default: null,
    valid: `whole seconds from 0 to ${MAX_ROLLOUT_DELAY_SECONDS}, written to the operator's config.data; empty for none (operator default 0)`,
    parse: (raw: unknown) => {
      if (raw === null) return null;
      const s = asString(raw);
      if (s.trim() === '') return null;
      try {
        return parseRolloutDelay(`--${flag}`, s);
      } catch (e) {
        if (e instanceof RangeError) throw new InputError(`must be a whole number of seconds from 0 to ${MAX_ROLLOUT_DELAY_SECONDS}`);
        throw e;
      }
    },
    show: (v: number | null) => (v === null ? '' : String(v)),
  } as unknown as Setting<K>;
}

export const DEFAULT_ANSWERS: Answers = Object.fromEntries(SETTINGS.map((s) => [s.key, s.default])) as unknown as Answers;

export function settingOf<K extends SettingKey>(key: K): Setting<K> {
  return SETTINGS.find((s) => s.key === key) as unknown as Setting<K>;
}

/** Parse one setting's value or throw an InputError naming the flag, the value and what is valid. */
export function parseSetting<K extends SettingKey>(key: K, raw: unknown, source = `--${settingOf(key).flag}`): Answers[K] {
  const setting = settingOf(key);
  try {
    return setting.parse(raw);
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: equivalent: every setting's parse throws only InputError (the delays turn RangeError into one)
    if (!(e instanceof InputError)) throw e;
    const shown = JSON.stringify(raw) ?? String(raw);
    throw new InputError(`${source} ${shown}: ${e.message}${e.message.includes(setting.valid) ? '' : ` (valid: ${setting.valid})`}`);
  }
}

/** The two doors: the `cnpg-operator` bin and `yo cnpg-operator`. */
export type Door = 'bin' | 'yeoman';

/** Action flags: they steer a run and are never stored. */
export interface Action {
  flag: string;
  short?: string;
  /** Name declared to Yeoman (Yeoman refuses option names starting with `no-`). */
  yeomanOption: string;
  type: 'boolean' | 'string';
  description: string;
  /** Placeholder shown in --help for a string value. */
  placeholder?: string;
  /** The RunOptions field this flag sets (true when given; false when `negate`; a string action: its validated value). */
  run?: keyof RunOptions;
  negate?: boolean;
  /** Only on this door. */
  only?: Door;
}

export const ACTIONS: readonly Action[] = [
  { flag: 'yes', short: 'y', yeomanOption: 'yes', type: 'boolean', run: 'yes', description: 'never prompt: use flags, stored answers, then defaults' },
  { flag: 'all-clusters', yeomanOption: 'all-clusters', type: 'boolean', run: 'allClusters', description: 'every kubernetes/clusters/*/cluster-settings.yaml that carries the CNPG keys' },
  { flag: 'new-cluster', yeomanOption: 'new-cluster', type: 'boolean', run: 'newCluster', description: 'allow --cluster to name a cluster the repo does not have yet (else refused when it has clusters)' },
  { flag: 'no-commit', yeomanOption: 'commit', type: 'boolean', run: 'commit', negate: true, description: 'write the files, leave staging and committing to you' },
  { flag: 'dry-run', yeomanOption: 'dry-run', type: 'boolean', run: 'dryRun', description: 'print a unified diff of every change; write nothing' },
  { flag: 'check', yeomanOption: 'check', type: 'boolean', run: 'check', description: 'exit 1 and list differences unless the repo matches the stored answers; write nothing' },
  { flag: 'force', yeomanOption: 'force', type: 'boolean', run: 'force', description: "take the generator's version of conflicted or deleted files" },
  { flag: 'allow-downgrade', yeomanOption: 'allow-downgrade', type: 'boolean', run: 'allowDowngrade', description: 'allow --chart-version older than the version in the repo' },
  { flag: 'json', yeomanOption: 'json', type: 'boolean', run: 'json', description: 'print the result as JSON (per-file status)' },
  { flag: 'plan', yeomanOption: 'plan', type: 'boolean', run: 'plan', description: 'print the upgrade plan (operator releases crossed, hazards) and write nothing; exit 0' },
  { flag: 'from', yeomanOption: 'from', type: 'string', placeholder: '<chart>', run: 'planFrom', description: "with --plan: the chart version to plan from (default: the repo's current version)" },
  { flag: 'to', yeomanOption: 'to', type: 'string', placeholder: '<chart>', run: 'planTo', description: 'with --plan: the chart version to plan to (default: the newest chart in the built-in table)' },
  { flag: 'directory', short: 'C', yeomanOption: 'directory', type: 'string', placeholder: '<dir>', description: 'run in this folder instead of the current one' },
  { flag: 'interactive', yeomanOption: 'interactive', only: 'yeoman', type: 'boolean', description: "prompt even without a TTY (answers come from Yeoman's adapter, e.g. yeoman-test)" },
  { flag: 'help', short: 'h', yeomanOption: 'help', type: 'boolean', description: 'show this help' },
  { flag: 'version', short: 'V', yeomanOption: 'version', type: 'boolean', description: 'print the generator version' },
];

/** One option as a door accepts it: a setting's spelling or an action. */
export interface DoorOption {
  /** Long name without dashes, as typed. */
  name: string;
  short?: string;
  type: 'boolean' | 'string';
  description: string;
  setting?: SettingKey;
  action?: Action;
}

/**
 * Every option a door accepts, derived from SETTINGS and ACTIONS: the bin builds its parseArgs config from it,
 * the Yeoman door its `this.option` declarations and its own parse, and helpText the help.
 */
export function doorOptions(door: Door): DoorOption[] {
  const out: DoorOption[] = [];
  for (const s of SETTINGS) {
    const description = `${s.valid} (default: ${s.show(s.default as never) || 'none'})`;
    for (const name of [s.flag, ...(s.aliases ?? [])]) out.push({ name, type: 'string', description, setting: s.key });
  }
  for (const a of ACTIONS) {
    if (a.only && a.only !== door) continue;
    out.push({ name: a.flag, ...(a.short ? { short: a.short } : {}), type: a.type, description: a.description, action: a });
  }
  return out;
}

/** RunOptions from a door's parsed values (keyed by flag name), through each action's `run` field. */
export function runOptionsFrom(values: Readonly<Record<string, unknown>>): RunOptions {
  const options: RunOptions = { ...DEFAULT_RUN_OPTIONS };
  for (const a of ACTIONS) {
    if (!a.run || values[a.flag] === undefined) continue;
    if (a.type === 'string') (options as unknown as Record<string, unknown>)[a.run] = planVersion(a.flag, values[a.flag]);
    else (options as unknown as Record<string, unknown>)[a.run] = a.negate ? !values[a.flag] : Boolean(values[a.flag]);
  }
  if (!options.plan && (options.planFrom !== undefined || options.planTo !== undefined)) {
    throw new InputError(`--${options.planFrom !== undefined ? 'from' : 'to'} is only valid with --plan`);
  }
  if (options.plan && (options.check || options.dryRun)) throw new InputError(`--plan cannot be combined with --${options.check ? 'check' : 'dry-run'}`);
  if (options.plan && values['chart-version'] !== undefined) throw new InputError('--plan takes the version to plan to as --to, not --chart-version');
  return options;
}

/** --from / --to: an exact chart version X.Y.Z (an unknown one is fine: the plan says it is incomplete). */
function planVersion(flag: string, raw: unknown): string {
  // Stryker disable next-line StringLiteral: equivalent: any text in place of '' for a non-string fails EXACT_VERSION all the same
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (!EXACT_VERSION.test(s)) {
    throw new InputError(`--${flag} ${JSON.stringify(raw)}: must be an exact chart version X.Y.Z (no "latest", ranges, "v" prefix or partial versions)`);
  }
  const charts = chartsShipping(s);
  if (charts.length > 0) throw new InputError(`--${flag} ${s} is an operator version, not a chart version: use chart ${charts[0]}`);
  return s;
}

export interface RunOptions {
  yes: boolean;
  allClusters: boolean;
  newCluster: boolean;
  commit: boolean;
  dryRun: boolean;
  check: boolean;
  force: boolean;
  allowDowngrade: boolean;
  json: boolean;
  /** --plan: print the upgrade plan, write nothing. */
  plan: boolean;
  /** --from / --to (with --plan), validated X.Y.Z. */
  planFrom?: string;
  planTo?: string;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  yes: false,
  allClusters: false,
  newCluster: false,
  commit: true,
  dryRun: false,
  check: false,
  force: false,
  allowDowngrade: false,
  json: false,
  plan: false,
  planFrom: undefined,
  planTo: undefined,
};

/** Options Yeoman itself defines; the Yeoman door accepts them and leaves them to Yeoman. */
export const YEOMAN_OWN_OPTIONS: readonly string[] = [
  'skip-install',
  'force-install',
  'skip-cache',
  'skip-local-cache',
  'ask-answered',
  'local-config-only',
  'skip-parse-options',
  'skip-check-env',
  'ignore-version-check',
  'experimental',
  'whitespace',
  'bail',
  'skip-yo-resolve',
  'log-cwd',
  // yo's and its libraries' own: generator lookup, error stacks, colours, the update notice, usage statistics.
  'local-only',
  'debug',
  'color',
  'no-color',
  'update-notifier',
  'no-update-notifier',
  'insight',
  'no-insight',
];

// Stryker disable next-line StringLiteral: equivalent: helpText and doorOptions treat every door but 'yeoman' as the bin
export function helpText(program: string, door: Door = 'bin'): string {
  const lines: string[] = [];
  lines.push(`Usage: ${program} [options]`);
  lines.push('');
  lines.push('Writes the CloudNativePG operator folder of a Flux GitOps repo, patches cluster-settings.yaml and');
  lines.push('bootstrap/helmfile.d/00-crds.yaml in place, and commits exactly those paths.');
  lines.push('');
  lines.push('Settings (asked interactively unless given; stored in .yo-rc.json):');
  const options = doorOptions(door);
  for (const s of SETTINGS) {
    const names = options.filter((o) => o.setting === s.key).map((o) => `--${o.name}`).join(', ');
    const def = s.show(s.default as never);
    lines.push(`  ${names} <value>`);
    lines.push(`      default: ${def === '' ? '(none)' : def}; valid: ${s.valid}`);
  }
  lines.push('');
  lines.push('Options:');
  for (const o of options) {
    if (!o.action) continue;
    // Stryker disable next-line StringLiteral: equivalent: every string action has its placeholder (--from, --to, -C)
    const placeholder = o.action.placeholder ?? '<value>';
    const names = [o.short ? `-${o.short}` : '', `--${o.name}${o.type === 'string' ? ` ${placeholder}` : ''}`].filter(Boolean).join(', ');
    lines.push(`  ${names.padEnd(24)} ${o.description}`);
  }
  if (door === 'yeoman') {
    lines.push('');
    lines.push(`Yeoman's own options are accepted and left to Yeoman: ${YEOMAN_OWN_OPTIONS.filter((o) => !o.startsWith('no-')).map((o) => `--${o}`).join(', ')}.`);
  }
  lines.push('');
  lines.push('Examples:');
  lines.push(`  ${program}                      # interactive: asks each setting, prefilled from flags/stored answers`);
  lines.push(`  ${program} --yes --cluster infra --replicas 2 --chart-version 0.26.1   # bootstrap script`);
  lines.push(`  ${program} --plan --from 0.26.0 --to 0.29.0 --json   # what a chart bump crosses, for a Renovate PR's CI`);
  lines.push('');
  lines.push('Exit codes: 0 done (or nothing to do), 1 failed (conflict, git, drift found by --check), 2 invalid input.');
  return lines.join('\n') + '\n';
}
