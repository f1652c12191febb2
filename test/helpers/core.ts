/** The pure core from file texts, for the *.kinds tests: census -> resolution -> plan, no files, no git. */
import { type Resolution, type ResolveOptions, resolveAnswers } from '../../src/core/answers.js';
import { type Census, censusOf, ownedPaths } from '../../src/core/census.js';
import { INFRASTRUCTURE as L, YO_RC, generatedPaths } from '../../src/core/layout.js';
import { type Plan, makePlan } from '../../src/core/plan.js';
import type { Answers } from '../../src/core/settings.js';

export { L, YO_RC };
export const CRDS = L.crdsHelmfile;
export const settingsPath = (cluster: string): string => L.clusterSettingsPath(cluster);

/** A cluster-settings ConfigMap holding these data entries (double-quoted, in order). */
export const clusterSettings = (vars: Record<string, string>): string =>
  ['---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cluster-settings', '  namespace: flux-system', 'data:', ...Object.entries(vars).map(([k, v]) => `  ${k}: "${v}"`), ''].join('\n');

/** .yo-rc.json with our section. */
export const yoRc = (section: Record<string, unknown>): string => JSON.stringify({ 'generator-cnpg-operator': section }, null, 2) + '\n';

export interface CoreCase {
  /** Repo files by path; cluster-settings files name the clusters found. */
  files?: Record<string, string>;
  flags?: Partial<Answers>;
  prompted?: Partial<Answers>;
  options?: ResolveOptions;
  /** Generated files as last written (3-way merge bases). */
  bases?: Record<string, string>;
  force?: boolean;
}

export function censusFor(c: CoreCase): Census {
  const files = new Map<string, string | undefined>(ownedPaths(L).map((p) => [p, undefined]));
  const clusters: string[] = [];
  for (const [p, text] of Object.entries(c.files ?? {})) {
    files.set(p, text);
    const m = /^kubernetes\/clusters\/([^/]+)\/cluster-settings\.yaml$/.exec(p);
    if (m) clusters.push(m[1]);
  }
  const stored = c.files?.[YO_RC] === undefined ? undefined : (JSON.parse(c.files[YO_RC])['generator-cnpg-operator']?.cluster as string[] | undefined);
  const named = c.options?.allClusters ? [] : (c.flags?.cluster ?? c.prompted?.cluster ?? stored ?? ['infra']);
  for (const t of named) if (!clusters.includes(t)) (clusters.push(t), files.set(L.clusterSettingsPath(t), undefined));
  return censusOf(L, files, clusters);
}

export function resolve(c: CoreCase): Resolution {
  const census = censusFor(c);
  return resolveAnswers(c.flags ?? {}, census.stored, census, c.prompted ?? {}, c.options ?? {});
}

export function planFor(c: CoreCase): { census: Census; resolution: Resolution; plan: Plan } {
  const census = censusFor(c);
  const resolution = resolveAnswers(c.flags ?? {}, census.stored, census, c.prompted ?? {}, c.options ?? {});
  const existing = census.stored !== undefined || generatedPaths(L).some((p) => census.files.get(p) !== undefined);
  const plan = makePlan({
    resolution,
    layout: L,
    generatorVersion: '0.0.0-test',
    files: census.files,
    bases: new Map(Object.entries(c.bases ?? {})),
    existing,
    force: c.force ?? false,
  });
  return { census, resolution, plan };
}

/** The change planned for a path (throws when the plan does not mention it). */
export function changeOf(plan: Plan, path: string) {
  const c = plan.changes.find((x) => x.path === path);
  if (!c) throw new Error(`the plan does not mention ${path}`);
  return c;
}

/** Lines of `after` that differ from `before`, as `-old` / `+new` (a line-by-line view of a one-line edit). */
export function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) out.push(`-${a[i] ?? ''}`, `+${b[i] ?? ''}`);
  }
  return out;
}
