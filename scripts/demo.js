#!/usr/bin/env node
// `npm run demo`: two fresh demo GitOps repos in ./demo (git-ignored), one per layout the generator detects, each
// run on defaults with no prompts; then, in the apps repo, a hand edit and a chart bump rerun that keeps it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoRoot = path.join(root, 'demo');
const BIN = path.join(root, 'bin/cnpg-operator.js');

function repo(name, files) {
  const dir = path.join(demoRoot, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const sh = (cmd, args) => execFileSync(cmd, args, { cwd: dir, stdio: 'inherit' });
  sh('git', ['init', '-q', '-b', 'main']);
  sh('git', ['config', 'user.name', 'Demo User']);
  sh('git', ['config', 'user.email', 'demo@example.com']);
  sh('git', ['add', '-A']);
  sh('git', ['commit', '-q', '-m', 'chore: demo GitOps repo']);
  return { dir, sh };
}

function step(r, title, cmd, args) {
  console.log(`\n$ ${title}   (in ${path.relative(process.cwd(), r.dir)})`);
  r.sh(cmd, args);
}

rmSync(demoRoot, { recursive: true, force: true });

// 1. The story's layout: kubernetes/clusters/<c>/cluster-settings.yaml.
const infra = repo('infrastructure', {
  'kubernetes/clusters/infra/cluster-settings.yaml': `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Storage
  BLOCK_SC: "local-path"
`,
});
console.log('\n=== infrastructure layout (kubernetes/clusters/*/cluster-settings.yaml) ===');
step(infra, 'cnpg-operator --yes', process.execPath, [BIN, '--yes']);
step(infra, 'git show --stat --format=%s HEAD', 'git', ['--no-pager', 'show', '--stat', '--format=%s', 'HEAD']);

// 2. onedr0p/cluster-template's layout: kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps.
const apps = repo('apps', {
  'kubernetes/flux/cluster/ks.yaml': `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 1h
  path: ./kubernetes/apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
  'bootstrap/helmfile/crds.yaml': `---
bases:
  - default.yaml
---
helmDefaults:
  args:
    - --include-crds
    - --no-hooks

releases:
  - name: cert-manager
    namespace: cert-manager
    inherit:
      - template: default
`,
});
console.log('\n=== apps layout (kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps) ===');
step(apps, 'cnpg-operator --yes', process.execPath, [BIN, '--yes']);
step(apps, 'git show --stat --format=%s HEAD', 'git', ['--no-pager', 'show', '--stat', '--format=%s', 'HEAD']);

// 3. A hand edit survives a chart bump: the generator merges its change into yours (3-way, like git).
const oci = path.join(apps.dir, 'kubernetes/apps/cnpg-system/cloudnative-pg/app/ocirepository.yaml');
writeFileSync(oci, readFileSync(oci, 'utf8').replace('  interval: 12h\n', '  interval: 1h # hand edit: pull new charts sooner\n'));
apps.sh('git', ['commit', '-q', '-am', 'poll the chart registry hourly']);
console.log('\n=== a hand edit (ocirepository.yaml interval: 1h), then a chart bump rerun ===');
step(apps, 'cnpg-operator --yes --chart-version 0.26.1', process.execPath, [BIN, '--yes', '--chart-version', '0.26.1']);
step(apps, 'git show HEAD -- app/ocirepository.yaml   (the tag moves, the hand edit stays)', 'git', [
  '--no-pager',
  'show',
  '--format=%s',
  'HEAD',
  '-U4',
  '--',
  'kubernetes/apps/cnpg-system/cloudnative-pg/app/ocirepository.yaml',
]);
