#!/usr/bin/env node
// `npm run demo`: make a fresh demo GitOps repo in ./demo (git-ignored), run the generator on defaults with no
// prompts, then show what it wrote and committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = path.join(root, 'demo');
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: demo, stdio: 'inherit', ...opts });

rmSync(demo, { recursive: true, force: true });
mkdirSync(path.join(demo, 'kubernetes/clusters/infra'), { recursive: true });
writeFileSync(
  path.join(demo, 'kubernetes/clusters/infra/cluster-settings.yaml'),
  `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Cluster
  CLUSTER_NAME: "infra"
  CLUSTER_DOMAIN: "infra.example.com" # public DNS zone

  # Storage
  BLOCK_SC: "local-path"
`,
);
sh('git', ['init', '-q', '-b', 'main']);
sh('git', ['config', 'user.name', 'Demo User']);
sh('git', ['config', 'user.email', 'demo@example.com']);
sh('git', ['add', '-A']);
sh('git', ['commit', '-q', '-m', 'chore: demo GitOps repo']);

console.log(`\n$ cnpg-operator --yes   (in ${path.relative(process.cwd(), demo) || '.'})`);
sh(process.execPath, [path.join(root, 'bin/cnpg-operator.js'), '--yes']);
console.log('\n$ git log --stat -1');
sh('git', ['--no-pager', 'log', '--stat', '-1']);
console.log('\n$ git ls-files');
sh('git', ['ls-files']);
