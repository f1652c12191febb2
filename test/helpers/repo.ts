/** Temporary GitOps repos and a way to run the real bin in them. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin/cnpg-operator.js');
export const OPERATOR = 'kubernetes/infrastructure/databases/cloudnative-pg/operator';
/** The monitoring part's folder (issue 11: its own Flux Kustomization). */
export const MONITORING = 'kubernetes/infrastructure/databases/cloudnative-pg/monitoring';

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export function sh(cwd: string, cmd: string, args: string[], env: Record<string, string> = {}): Ran {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, HOME: cwd, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function git(cwd: string, ...args: string[]): string {
  const r = sh(cwd, 'git', args);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Run the bin (stdin is not a TTY, so it never prompts). */
export function bin(cwd: string, args: string[], env: Record<string, string> = {}): Ran {
  return sh(cwd, process.execPath, [BIN, ...args], env);
}

export function tmpDir(prefix = 'cnpg-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A git repo with one commit holding `files`. */
export function tmpRepo(files: Record<string, string> = { 'README.md': '# gitops\n' }, opts: { git?: boolean } = {}): string {
  const dir = tmpDir();
  for (const [rel, content] of Object.entries(files)) writeFile(dir, rel, content);
  if (opts.git !== false) {
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'initial');
  }
  return dir;
}

export function writeFile(dir: string, rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
}

export function read(dir: string, rel: string): string {
  return readFileSync(path.join(dir, rel), 'utf8');
}

/** Every file below dir (except .git) with its content: a before/after fingerprint of the work tree. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      if (rel === '' && name === '.git') continue;
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out[r] = readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

export function commitCount(dir: string): number {
  return Number(git(dir, 'rev-list', '--count', 'HEAD').trim());
}

/** Paths changed by the last commit. */
export function lastCommitPaths(dir: string): string[] {
  return git(dir, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean).sort();
}

export const CLUSTER_SETTINGS = `---
# Cluster-wide variables, substituted by Flux
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Cluster
  CLUSTER_NAME: "infra"
  CLUSTER_DOMAIN: 'infra.example.com' # public zone

  # Storage
  BLOCK_SC: "local-path"
`;
