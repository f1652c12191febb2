/**
 * What Flux applies, followed from given root files: each Flux Kustomization's `spec.path`, each
 * kustomization.yaml's `resources` and `components` (files and folders), recursively, discovering the Flux
 * Kustomizations inside every file reached.
 *
 * A folder without a kustomization file is handled as kustomize-controller handles a Flux Kustomization's path
 * (fluxcd/pkg kustomize.Generator.generateKustomization): it generates a kustomization.yaml listing every
 * .yaml/.yml file below the folder, and a sub-folder that holds a kustomization file as one resource without
 * descending into it. kustomize itself (a folder listed in `resources`/`components`) needs a kustomization file
 * there; a folder without one is a build error, recorded in `problems`.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** kustomize's recognised kustomization file names, in its order. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface FluxGraph {
  /** Repo-relative files reached (root files included). */
  files: Set<string>;
  /** Repo-relative folders that kustomize builds (each holds a kustomization file), for `kubectl kustomize`. */
  kustomizations: Set<string>;
  /** Flux Kustomizations found in reached files: file, name, spec.path (as written). */
  fluxKustomizations: { file: string; name: string; path: string }[];
  /** References that do not resolve or would not build (file: problem). */
  problems: string[];
}

const posix = (p: string): string => p.split(path.sep).join('/');

function kustomizationFile(abs: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const f = path.join(abs, name);
    if (existsSync(f) && statSync(f).isFile()) return f;
  }
  return undefined;
}

function docs(abs: string): unknown[] {
  return parseAllDocuments(readFileSync(abs, 'utf8')).map((d) => d.toJS() as unknown).filter((d) => d !== null && d !== undefined);
}

function isFluxKustomization(doc: unknown): doc is { metadata?: { name?: string }; spec?: { path?: string } } {
  const d = doc as { apiVersion?: unknown; kind?: unknown };
  return typeof d?.apiVersion === 'string' && d.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && d.kind === 'Kustomization';
}

/** Follow Flux from `roots` (repo-relative files holding Flux Kustomizations). */
export function fluxGraph(repoDir: string, roots: readonly string[]): FluxGraph {
  const graph: FluxGraph = { files: new Set(), kustomizations: new Set(), fluxKustomizations: [], problems: [] };
  const rel = (abs: string): string => posix(path.relative(repoDir, abs)) || '.';
  const seenDirs = new Set<string>();

  const visitFile = (abs: string): void => {
    const r = rel(abs);
    if (graph.files.has(r)) return;
    graph.files.add(r);
    let parsed: unknown[];
    try {
      parsed = docs(abs);
    } catch (e) {
      graph.problems.push(`${r}: not YAML (${(e as Error).message.split('\n')[0]})`);
      return;
    }
    for (const doc of parsed) {
      if (!isFluxKustomization(doc)) continue;
      const p = doc.spec?.path ?? './';
      graph.fluxKustomizations.push({ file: r, name: String(doc.metadata?.name ?? ''), path: p });
      // spec.path is relative to the source's root, i.e. the repo.
      const target = path.resolve(repoDir, p);
      if (!existsSync(target) || !statSync(target).isDirectory()) graph.problems.push(`${r}: Flux Kustomization ${doc.metadata?.name}: path ${p} is not a folder`);
      else visitFluxPath(target);
    }
  };

  const visitKustomization = (dir: string, file: string): void => {
    graph.kustomizations.add(rel(dir));
    visitFile(file);
    let k: { resources?: unknown; components?: unknown } | undefined;
    try {
      k = docs(file)[0] as typeof k;
    } catch {
      return; // reported by visitFile
    }
    for (const field of ['resources', 'components'] as const) {
      const list = k?.[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        graph.problems.push(`${rel(file)}: ${field} is not a list`);
        continue;
      }
      for (const entry of list) {
        if (typeof entry !== 'string' || /^[a-z]+:\/\/|^github\.com\//.test(entry)) continue; // remote bases: not in this repo
        const target = path.resolve(dir, entry);
        if (!existsSync(target)) graph.problems.push(`${rel(file)}: ${field} entry ${entry} does not exist`);
        else if (statSync(target).isDirectory()) {
          const kf = kustomizationFile(target);
          if (kf) visitKustomizationDir(target, kf);
          else graph.problems.push(`${rel(file)}: ${field} entry ${entry} is a folder without a kustomization file`);
        } else visitFile(target);
      }
    }
  };

  const visitKustomizationDir = (dir: string, file: string): void => {
    if (seenDirs.has(dir)) return;
    seenDirs.add(dir);
    visitKustomization(dir, file);
  };

  /** A Flux Kustomization's path: its kustomization file, or the one kustomize-controller generates. */
  const visitFluxPath = (dir: string): void => {
    const kf = kustomizationFile(dir);
    if (kf) return visitKustomizationDir(dir, kf);
    if (seenDirs.has(dir)) return;
    seenDirs.add(dir);
    const walk = (d: string): void => {
      for (const name of readdirSync(d).sort()) {
        const abs = path.join(d, name);
        if (statSync(abs).isDirectory()) {
          if (name === '.git') continue;
          const sub = kustomizationFile(abs);
          if (sub) visitKustomizationDir(abs, sub);
          else walk(abs);
        } else if (/\.ya?ml$/.test(name)) visitFile(abs);
      }
    };
    walk(dir);
  };

  for (const root of roots) {
    const abs = path.resolve(repoDir, root);
    if (!existsSync(abs)) graph.problems.push(`${root}: root does not exist`);
    else visitFile(abs);
  }
  return graph;
}

/** The repo-relative files Flux reaches from `roots`. */
export function reachableFrom(repoDir: string, roots: readonly string[]): Set<string> {
  return fluxGraph(repoDir, roots).files;
}
