/**
 * Scans of the repo's own YAML (files the generator does not own) for what decides refusals and defaults:
 *
 * - an existing install of the cloudnative-pg chart (a HelmRelease or OCIRepository): a second one would fight it
 *   for the same CRDs, webhooks and cluster-wide watch, so the run is refused;
 * - the monitoring kinds in use (VictoriaMetrics: VMPodScrape, VMServiceScrape, VMRule; Prometheus-Operator:
 *   PodMonitor, ServiceMonitor, PrometheusRule), counted, for the monitoring default;
 * - a kube-prometheus-stack HelmRelease: its Helm release name is the `release` label its default selectors want;
 * - Flux Kustomizations by name, so a generated one never replaces one the generator did not write.
 *
 * In a git work tree only tracked `*.yaml`/`*.yml` files that contain one of the telling strings are read
 * (`git grep -l -F`), and only those are parsed (the `yaml` package); outside git the `kubernetes/` folder is
 * walked. The pure part, `scanTexts`, takes texts, so the tests need no repo.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type Repo, git, readRepoFile } from './repo.js';

/** The operator chart as published: OCI (the generator's own source) and the classic Helm repository. */
export const CNPG_OCI_URL = 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg';
export const CNPG_HELM_REPO_URL = 'https://cloudnative-pg.github.io/charts';
export const CNPG_CHART_NAME = 'cloudnative-pg';

export const VM_KINDS = ['VMPodScrape', 'VMServiceScrape', 'VMRule'] as const;
export const PROM_KINDS = ['PodMonitor', 'ServiceMonitor', 'PrometheusRule'] as const;
const VM_GROUP = 'operator.victoriametrics.com/';
const PROM_GROUP = 'monitoring.coreos.com/';

/** An existing install of the cloudnative-pg chart the generator did not write. */
export interface CnpgInstall {
  /** Repo path of the file that holds it. */
  path: string;
  kind: 'HelmRelease' | 'OCIRepository';
  name: string;
  namespace?: string;
  /** How it was recognised, for the message (e.g. `url oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg`). */
  match: string;
}

/** A kube-prometheus-stack HelmRelease. */
export interface KubePrometheusStack {
  path: string;
  name: string;
  /** The Helm release name Flux gives it: spec.releaseName, else `[<spec.targetNamespace>-]<metadata.name>`. */
  releaseName: string;
  /** Its values open the PodMonitor and rule selectors to every object (`*SelectorNilUsesHelmValues: false`). */
  selectorsOpen: boolean;
}

/** A Flux Kustomization found in a repo file. */
export interface FluxKustomizationFound {
  path: string;
  name: string;
  namespace?: string;
}

export interface RepoScan {
  installs: CnpgInstall[];
  /** Count per kind, for every kind of VM_KINDS and PROM_KINDS (0 when absent). */
  monitoringKinds: Record<string, number>;
  kubePrometheusStack?: KubePrometheusStack;
  /** Flux Kustomizations carrying one of the names the scan was asked about (`fluxNames`), and those names. */
  fluxKustomizations: FluxKustomizationFound[];
  fluxNames: string[];
}

/** The strings a file must contain to be worth parsing (git grep -F patterns). */
export const SCAN_PATTERNS: readonly string[] = ['cloudnative-pg', 'kube-prometheus-stack', ...VM_KINDS, ...PROM_KINDS];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const at = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);
const trimUrl = (u: string): string => u.trim().replace(/\/+$/, '');

/** Every YAML document of a text as plain data; a file that does not parse yields what parsed (never throws). */
export function yamlObjects(text: string): Obj[] {
  const out: Obj[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return out;
  }
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length > 0) continue;
    try {
      const js = d.toJS({ maxAliasCount: 100 }) as unknown;
      if (isObj(js)) out.push(js);
    } catch {
      /* a document yaml cannot turn into data: not ours to judge */
    }
  }
  return out;
}

const isFluxKind = (o: Obj, group: string, kind: string): boolean => str(o.kind) === kind && (str(o.apiVersion) ?? '').startsWith(group);

/** Pure: scan file texts (repo path -> text). Files in `own` are the generator's and are skipped. */
export function scanTexts(files: ReadonlyMap<string, string>, own: ReadonlySet<string> = new Set(), fluxNames: readonly string[] = []): RepoScan {
  const fluxKustomizations: FluxKustomizationFound[] = [];
  const monitoringKinds: Record<string, number> = Object.fromEntries([...VM_KINDS, ...PROM_KINDS].map((k) => [k, 0]));
  const installs: CnpgInstall[] = [];
  const cnpgOci = new Map<string, CnpgInstall>(); // "namespace/name" (or name) of cnpg OCIRepositories
  const kpsOci = new Set<string>();
  const releases: { path: string; o: Obj }[] = [];
  for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (own.has(file)) continue;
    for (const o of yamlObjects(text)) {
      const kind = str(o.kind);
      const api = str(o.apiVersion) ?? '';
      if (kind && (VM_KINDS as readonly string[]).includes(kind) && api.startsWith(VM_GROUP)) monitoringKinds[kind]++;
      if (kind && (PROM_KINDS as readonly string[]).includes(kind) && api.startsWith(PROM_GROUP)) monitoringKinds[kind]++;
      const name = str(at(o, 'metadata', 'name')) ?? '';
      const namespace = str(at(o, 'metadata', 'namespace'));
      if (isFluxKind(o, 'source.toolkit.fluxcd.io/', 'OCIRepository')) {
        const url = trimUrl(str(at(o, 'spec', 'url')) ?? '');
        if (url === CNPG_OCI_URL) {
          const found: CnpgInstall = { path: file, kind: 'OCIRepository', name, ...(namespace ? { namespace } : {}), match: `url ${CNPG_OCI_URL}` };
          installs.push(found);
          cnpgOci.set(name, found);
        }
        if (url.endsWith('/kube-prometheus-stack')) kpsOci.add(name);
      }
      if (isFluxKind(o, 'helm.toolkit.fluxcd.io/', 'HelmRelease')) releases.push({ path: file, o });
      if (isFluxKind(o, 'kustomize.toolkit.fluxcd.io/', 'Kustomization') && fluxNames.includes(name)) {
        fluxKustomizations.push({ path: file, name, ...(namespace ? { namespace } : {}) });
      }
    }
  }
  let kubePrometheusStack: KubePrometheusStack | undefined;
  for (const { path: file, o } of releases) {
    const name = str(at(o, 'metadata', 'name')) ?? '';
    const namespace = str(at(o, 'metadata', 'namespace'));
    const chart = str(at(o, 'spec', 'chart', 'spec', 'chart'))?.trim();
    const refKind = str(at(o, 'spec', 'chartRef', 'kind'));
    const refName = str(at(o, 'spec', 'chartRef', 'name'));
    // A chart given as `repo/chart` or a full URL counts by its last segment.
    const chartName = chart?.split('/').filter(Boolean).at(-1);
    if (chartName === CNPG_CHART_NAME) {
      installs.push({ path: file, kind: 'HelmRelease', name, ...(namespace ? { namespace } : {}), match: `chart ${CNPG_CHART_NAME}` });
    } else if (refKind === 'OCIRepository' && refName !== undefined && cnpgOci.has(refName)) {
      installs.push({ path: file, kind: 'HelmRelease', name, ...(namespace ? { namespace } : {}), match: `chartRef OCIRepository ${refName} (${CNPG_OCI_URL})` });
    }
    const isKps = chartName === 'kube-prometheus-stack' || (refKind === 'OCIRepository' && refName !== undefined && kpsOci.has(refName));
    if (isKps && !kubePrometheusStack) {
      const target = str(at(o, 'spec', 'targetNamespace'));
      const releaseName = str(at(o, 'spec', 'releaseName')) ?? (target ? `${target}-${name}` : name);
      const spec = at(o, 'spec', 'values', 'prometheus', 'prometheusSpec');
      const selectorsOpen = at(spec, 'podMonitorSelectorNilUsesHelmValues') === false && at(spec, 'ruleSelectorNilUsesHelmValues') === false;
      kubePrometheusStack = { path: file, name, releaseName, selectorsOpen };
    }
  }
  installs.sort((a, b) => a.path.localeCompare(b.path));
  return { installs, monitoringKinds, ...(kubePrometheusStack ? { kubePrometheusStack } : {}), fluxKustomizations, fluxNames: [...fluxNames] };
}

/** Tracked YAML files containing one of `patterns` (git grep -l -F); undefined when git cannot answer. */
function grepYaml(repo: Repo, patterns: readonly string[]): string[] | undefined {
  const r = git(repo.root, ['grep', '-l', '-I', '-F', ...patterns.flatMap((p) => ['-e', p]), '--', '*.yaml', '*.yml']);
  if (r.status === 1) return [];
  if (r.status !== 0) return undefined;
  return r.stdout.split('\n').filter(Boolean);
}

/** YAML files below `dir` (repo-relative), skipping dot folders and symbolic links; for repos outside git. */
function walkYaml(repo: Repo, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > 20) return;
    let entries;
    try {
      entries = readdirSync(path.join(repo.root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r, depth + 1);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(r);
    }
  };
  walk(dir, 0);
  return out.sort();
}

/** Read the candidate files that contain one of `patterns`: git grep in a work tree, else a walk of kubernetes/. */
function candidateTexts(repo: Repo, patterns: readonly string[], own: ReadonlySet<string>): Map<string, string> {
  const listed = repo.gitDir ? grepYaml(repo, patterns) : undefined;
  const paths = listed ?? walkYaml(repo, 'kubernetes');
  const texts = new Map<string, string>();
  for (const p of paths) {
    if (own.has(p)) continue;
    let text: string | undefined;
    try {
      text = readRepoFile(repo, p);
    } catch {
      continue; // a symbolic link or an unreadable file: not evidence either way
    }
    if (text !== undefined && (listed !== undefined || patterns.some((s) => text!.includes(s)))) texts.set(p, text);
  }
  return texts;
}

/**
 * Scan the repo (see the module comment). `own`: repo paths the generator writes, skipped. `fluxNames`: names of
 * the Flux Kustomizations the generator writes, looked up in the same `git grep` (fluxKustomizationRefusal).
 */
export function scanRepo(repo: Repo, own: ReadonlySet<string>, fluxNames: readonly string[] = []): RepoScan {
  return scanTexts(candidateTexts(repo, [...SCAN_PATTERNS, ...fluxNames], own), own, fluxNames);
}

/** Pure: the Flux Kustomizations (kustomize.toolkit.fluxcd.io) a text holds. */
export function fluxKustomizationsIn(file: string, text: string): FluxKustomizationFound[] {
  return yamlObjects(text)
    .filter((o) => isFluxKind(o, 'kustomize.toolkit.fluxcd.io/', 'Kustomization'))
    .map((o) => {
      const namespace = str(at(o, 'metadata', 'namespace'));
      return { path: file, name: str(at(o, 'metadata', 'name')) ?? '', ...(namespace ? { namespace } : {}) };
    });
}

/** Flux Kustomizations named one of `names` in the repo's files outside `own`. */
export function fluxKustomizationsNamed(repo: Repo, names: readonly string[], own: ReadonlySet<string>): FluxKustomizationFound[] {
  if (names.length === 0) return [];
  const out: FluxKustomizationFound[] = [];
  for (const [file, text] of candidateTexts(repo, names, own)) {
    out.push(...fluxKustomizationsIn(file, text).filter((k) => names.includes(k.name)));
  }
  return out;
}

/** The monitoring stack the repo's kinds point to: one side only decides; `why` is the source text to print. */
export function monitoringFromKinds(
  counts: Readonly<Record<string, number>>,
  kubePrometheusStack?: Pick<KubePrometheusStack, 'path'>,
): { value?: 'victoria-metrics' | 'prometheus-operator'; why: string } {
  const vm = VM_KINDS.reduce((n, k) => n + (counts[k] ?? 0), 0);
  const prom = PROM_KINDS.reduce((n, k) => n + (counts[k] ?? 0), 0);
  // No scrape or rule object yet, but the repo installs kube-prometheus-stack: its Prometheus reads PodMonitors and
  // PrometheusRules (a fresh home-ops repo often has the stack before any app brings its own monitor).
  if (vm === 0 && prom === 0 && kubePrometheusStack) {
    return { value: 'prometheus-operator', why: `a kube-prometheus-stack HelmRelease (${kubePrometheusStack.path}), 0 PodMonitor, 0 VMPodScrape` };
  }
  const side = (kinds: readonly string[], first: string): string[] => {
    const found = kinds.filter((k) => (counts[k] ?? 0) > 0).map((k) => `${counts[k]} ${k}`);
    return found.length > 0 ? found : [`0 ${first}`];
  };
  if (vm === 0 && prom === 0) return { why: 'the repo has no VictoriaMetrics or Prometheus-Operator objects' };
  if (vm > 0 && prom > 0) return { why: `the repo has both stacks' objects: ${[...side(VM_KINDS, 'VMPodScrape'), ...side(PROM_KINDS, 'PodMonitor')].join(', ')}` };
  if (prom > 0) return { value: 'prometheus-operator', why: [...side(PROM_KINDS, 'PodMonitor'), '0 VMPodScrape'].join(', ') };
  return { value: 'victoria-metrics', why: [...side(VM_KINDS, 'VMPodScrape'), '0 PodMonitor'].join(', ') };
}

/** The refusal for an existing install, or undefined. */
export function installRefusal(installs: readonly CnpgInstall[]): string | undefined {
  if (installs.length === 0) return undefined;
  const first = installs[0];
  const others = installs.slice(1).map((i) => i.path).filter((p) => p !== first.path);
  const more = others.length > 0 ? ` (also: ${[...new Set(others)].join(', ')})` : '';
  return (
    `${first.path}: ${first.kind} ${first.name}${first.namespace ? ` in ${first.namespace}` : ''} already installs the cloudnative-pg chart (${first.match})${more}; ` +
    'a second install would fight it for the same CRDs and webhooks. Keep that install (this generator does not adopt it), ' +
    'or remove it in its own commit and rerun; nothing was written'
  );
}

/**
 * The refusal when the plan would rename or replace a Flux Kustomization the generator did not write, or
 * undefined. Renaming: a file the plan writes held a Flux Kustomization whose name the new content drops, and
 * the generator's own last version of that file (`bases`) did not carry that name. Replacing: a Flux Kustomization
 * the plan introduces carries the name of one in another file of the repo (Flux would apply one over the other).
 * Checked on every run, `--force` included; reruns that keep the names ask git nothing.
 */
export function fluxKustomizationRefusal(
  repo: Repo,
  plan: { changes: readonly { path: string; before?: string; after?: string; status: string }[]; writes: readonly { path: string; before?: string; after?: string }[] },
  bases: ReadonlyMap<string, string>,
  scan?: RepoScan,
): string | undefined {
  const introduced: FluxKustomizationFound[] = [];
  for (const c of plan.writes) {
    const before = c.before === undefined ? [] : fluxKustomizationsIn(c.path, c.before);
    const after = c.after === undefined ? [] : fluxKustomizationsIn(c.path, c.after);
    const base = bases.get(c.path);
    const ours = new Set(base === undefined ? [] : fluxKustomizationsIn(c.path, base).map((k) => k.name));
    for (const k of before) {
      if (c.after !== undefined && after.length > 0 && !after.some((a) => a.name === k.name) && !ours.has(k.name)) {
        return `${c.path}: holds Flux Kustomization ${k.name}, which this generator did not write; writing the file would rename it to ${after.map((a) => a.name).join(', ')} and break what depends on it (dependsOn, the folder it applies). Move your Kustomization out of that file or rename it yourself; nothing was written`;
      }
    }
    for (const a of after) if (!before.some((k) => k.name === a.name)) introduced.push(a);
  }
  if (introduced.length === 0) return undefined;
  const own = new Set(plan.changes.map((c) => c.path));
  // Same name and namespace; a namespace left to a parent kustomization (not written) may be either.
  const names = [...new Set(introduced.map((k) => k.name))];
  // The census scan already looked these names up (one git grep for both); else ask git now.
  const found = scan && names.every((n) => scan.fluxNames.includes(n)) ? scan.fluxKustomizations.filter((k) => !own.has(k.path)) : fluxKustomizationsNamed(repo, names, own);
  const clash = found.find((k) =>
    introduced.some((i) => i.name === k.name && (i.namespace === undefined || k.namespace === undefined || i.namespace === k.namespace)),
  );
  if (!clash) return undefined;
  return `${clash.path}: a Flux Kustomization named ${clash.name} already exists; the generator's ${clash.name} would replace it in the cluster. Rename or remove yours first; nothing was written`;
}
