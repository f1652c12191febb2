/**
 * The end of a run: what was created, updated, merged or kept, the commit (or why there is none), and what to do
 * next (push, reconcile the operator's Flux Kustomization, and a Renovate config when the repo has none that names
 * the generator's files). `summarize` builds the data (the same fields `--json` prints under `summary`);
 * `formatSummary` turns it into plain lines. No colour: the text is the same on a TTY, without one and with
 * NO_COLOR, so logs and pipes never see escape codes.
 */
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Layout } from './layout.js';
import type { Monitoring } from './settings.js';
import type { FileStatus, Plan } from './plan.js';
import { type Repo, readRepoFile } from './repo.js';

/** Renovate's config files, in the order Renovate reads them (repository config). */
export const RENOVATE_FILES = ['renovate.json', 'renovate.json5', '.github/renovate.json', '.github/renovate.json5', '.gitlab/renovate.json', '.gitlab/renovate.json5', '.renovaterc', '.renovaterc.json', '.renovaterc.json5'] as const;

export interface RunSummary {
  /** The one-line result (`committed <hash>: <subject>`, `nothing changed; no commit`, ...). */
  result: string;
  exitCode: number;
  /** Paths per status; every status of the plan, empty lists included. `kept` is `unchanged`. */
  files: { created: string[]; updated: string[]; merged: string[]; kept: string[]; conflicted: string[]; removed: string[]; 'deleted-by-user': string[] };
  counts: { created: number; updated: number; merged: number; kept: number; conflicted: number; removed: number; 'deleted-by-user': number };
  commit?: { hash: string; subject: string };
  /** Why there is no commit (when there is none). */
  noCommit?: string;
  /** The operator's Flux Kustomization (`flux reconcile kustomization <name>`), when the plan renders one. */
  fluxKustomization?: { name: string; namespace: string };
  /** The Renovate config found, and whether it names the generator's files or the chart. */
  renovate: { config?: string; namesOurFiles: boolean };
  /** Commands and pointers, in order. */
  nextSteps: string[];
}

export interface SummaryInput {
  result: string;
  exitCode: number;
  commit?: { hash: string; subject: string };
}

const STATUS_KEY: Record<FileStatus, keyof RunSummary['files']> = {
  created: 'created',
  updated: 'updated',
  merged: 'merged',
  unchanged: 'kept',
  conflicted: 'conflicted',
  removed: 'removed',
  'deleted-by-user': 'deleted-by-user',
};

/**
 * The operator's Flux Kustomization: the layout's operator part names it; its namespace is read from the file that
 * holds it (rendered or as on disk), else the namespace folder's (apps: the folder's kustomization sets it), else
 * flux-system.
 */
export function operatorKustomization(plan: Plan, layout: Layout, namespace: string, monitoring: Monitoring): { name: string; namespace: string } | undefined {
  const part = layout.parts(namespace, monitoring).find((p) => p.name === 'operator');
  if (!part) return undefined;
  const ks = plan.changes.find((c) => c.path === part.fluxFile);
  const text = ks?.after ?? ks?.before;
  let ns: string | undefined;
  try {
    for (const d of parseAllDocuments(text ?? '')) {
      const o = d.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
      if (o?.kind === 'Kustomization' && o.metadata?.name === part.fluxName && typeof o.metadata.namespace === 'string') ns = o.metadata.namespace;
    }
  } catch {
    /* unreadable: fall back below */
  }
  return { name: part.fluxName, namespace: ns ?? (layout.namespaceFolder ? namespace : 'flux-system') };
}

/** The repo's Renovate config, and whether it names the chart or the files whose versions the generator owns. */
export function renovateConfig(repo: Repo, layout: Layout): RunSummary['renovate'] {
  const names = ['cloudnative-pg', ...layout.crds.candidates.map((c) => path.basename(c).replace(/\.ya?ml$/, '')).filter((n) => n !== 'crds'), ...(layout.clusterSettings ? ['cluster-settings'] : [])];
  for (const file of RENOVATE_FILES) {
    let text: string | undefined;
    try {
      text = readRepoFile(repo, file);
    } catch {
      continue;
    }
    if (text === undefined) continue;
    return { config: file, namesOurFiles: names.some((n) => text!.includes(n)) };
  }
  return { namesOurFiles: false };
}

/** The summary of a finished run (after writing, or refusing to commit). */
export function summarize(repo: Repo, plan: Plan, layout: Layout, namespace: string, monitoring: Monitoring, input: SummaryInput): RunSummary {
  const files: RunSummary['files'] = { created: [], updated: [], merged: [], kept: [], conflicted: [], removed: [], 'deleted-by-user': [] };
  for (const c of plan.changes) files[STATUS_KEY[c.status]].push(c.path);
  const counts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.length])) as RunSummary['counts'];
  const ks = operatorKustomization(plan, layout, namespace, monitoring);
  const renovate = renovateConfig(repo, layout);
  const nextSteps: string[] = [];
  const wrote = plan.writes.length > 0;
  if (input.exitCode === 0) {
    if (input.commit) nextSteps.push('git push');
    else if (wrote && repo.gitDir && /--no-commit/.test(input.result)) {
      nextSteps.push(`git add -- ${plan.writes.map((c) => c.path).join(' ')} && git commit`, 'git push');
    }
    if ((input.commit || wrote) && ks) {
      nextSteps.push(`flux reconcile kustomization ${ks.name}${ks.namespace === 'flux-system' ? '' : ` -n ${ks.namespace}`} --with-source`);
    }
    if (!renovate.namesOurFiles) {
      nextSteps.push(
        `Renovate: ${renovate.config ? `${renovate.config} does not name the chart or these files` : 'no Renovate config in this repo'}; ` +
          "to get chart bumps as pull requests, see the \"Renovate\" section of generator-cnpg-operator's README",
      );
    }
  }
  return {
    result: input.result,
    exitCode: input.exitCode,
    files,
    counts,
    ...(input.commit ? { commit: input.commit } : { noCommit: input.result }),
    ...(ks ? { fluxKustomization: ks } : {}),
    renovate,
    nextSteps,
  };
}

/** Plain lines for the terminal (the per-file lines are printed before it). */
export function formatSummary(s: RunSummary): string[] {
  const c = s.counts;
  const parts = [`${c.created} created`, `${c.updated} updated`, `${c.merged} merged`, `${c.kept} kept`];
  if (c.removed) parts.push(`${c.removed} removed`);
  if (c.conflicted) parts.push(`${c.conflicted} conflicted`);
  if (c['deleted-by-user']) parts.push(`${c['deleted-by-user']} left deleted`);
  const lines = [`summary: ${parts.join(', ')}`];
  lines.push(s.commit ? `commit: ${s.commit.hash} ${s.commit.subject}` : `commit: none (${s.noCommit})`);
  if (s.nextSteps.length > 0) {
    lines.push('next:');
    for (const step of s.nextSteps) lines.push(`  ${step}`);
  }
  return lines;
}
