#!/usr/bin/env node
// `npm run bench`: side-by-side timing of the bin and the Yeoman door against baselines run in the same session.
//
// Absolute times drift on a shared 2-core machine, so every goal is a ratio of two commands measured in one run,
// interleaved A B A B ... (one warm-up pair, then BENCH_PAIRS measured pairs, 7 at least), and compared by medians.
// Wall clock is `process.hrtime.bigint()` around `spawnSync`; fixtures (fresh repos, copies, setup runs) are made
// outside the timed region. The script reports and always exits 0: it does not gate CI.
//
//   1. bin full job (`--yes` in a fresh git repo: plan, render, patch, validate, write, commit) <= 1.3 x a plain
//      Node script that writes the same files with fs and commits them with `git add` + `git commit`
//      (scripts/bench-fixtures/plain-writer.js)
//   2. Yeoman door (`generators/app` with `--yes`) <= 1.1 x a minimal Yeoman generator that writes one file and
//      commits it with git (scripts/bench-fixtures/generator-minimal), same driver, fresh repos
//   3. version-bump rerun in a 20,000-file / 2,000-commit GitOps repo <= 1.2 x (the same bump in a small repo +
//      the extra time `git add` + `git commit --only` of one file takes in the large repo over the small one):
//      nothing of ours may grow with the repo. Four sides, interleaved.
//   4. peak RSS of the bin's full job <= 2 x `node -e ''` (GNU time's %M, i.e. the child's ru_maxrss)
//   5. --help, --version, a refused value (`--replicas 0`, exit 2): each <= 1.5 x `node -e ''`
//
// The large repo is built once into .bench/large-template (git-ignored, reused while its recipe version matches)
// with `git fast-import`, and copied once into .bench/large-work, which is restored to the template's exact state
// before every iteration (see workingCopy()); then an untimed `--yes` setup run and the timed `--chart-version`
// bump. The small repo goes through the same steps. The table is also written to .bench/latest.md.
//
// Knobs (environment): BENCH_PAIRS (measured pairs for the slow goals 2 and 3, default 11),
// BENCH_PAIRS_FAST (measured pairs for the sub-second goals 1 and 5, default 15), BENCH_RSS_RUNS (default 7),
// BENCH_ONLY (comma-separated goal numbers, e.g. `BENCH_ONLY=3`), BENCH_KEEP=1 (keep the temporary work folder),
// BENCH_VERBOSE=1 (print every sample), BENCH_FRESH_COPY=1 (goal 3: a new copy of the repo per iteration instead
// of restoring one; about 3.5 minutes for goal 3 alone on this disk).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchStart = process.hrtime.bigint();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(root, '.bench');
const BIN = path.join(root, 'bin/cnpg-operator.js');
const GENERATOR = path.join(root, 'generators/app/index.js');
const DRIVER = path.join(root, 'scripts/bench-fixtures/run-yeoman.js');
const MINIMAL = path.join(root, 'scripts/bench-fixtures/generator-minimal/generators/app/index.js');
const PLAIN_WRITER = path.join(root, 'scripts/bench-fixtures/plain-writer.js');
const NODE = process.execPath;
const TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));
const RSS_PRELOAD = path.join(root, 'scripts/bench-fixtures/maxrss-preload.cjs');

/** Bump this when the large repo's recipe changes, so an old .bench/large-template is rebuilt. */
const LARGE_RECIPE = 'v1 files=20000 commits=2000';
const LARGE_FILES = 20_000;
const LARGE_COMMITS = 2_000;

const intEnv = (name, def, min) => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) ? Math.max(min, n) : def;
};
const PAIRS_SLOW = intEnv('BENCH_PAIRS', 11, 7);
const PAIRS_FAST = intEnv('BENCH_PAIRS_FAST', 15, 7);
const RSS_RUNS = intEnv('BENCH_RSS_RUNS', 7, 3);
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const wanted = (goal) => ONLY.size === 0 || ONLY.has(String(goal));

// Same environment for every command: commits work, nothing prompts, no user/system git config or NODE_OPTIONS
// leaks in (a global commit.gpgsign or hook path would otherwise change what is measured).
const ENV = { ...process.env };
delete ENV.NODE_OPTIONS;
delete ENV.NODE_DEBUG;
Object.assign(ENV, {
  CI: '1',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_TERMINAL_PROMPT: '0',
});

const log = (line = '') => process.stdout.write(line + '\n');
const ms = (ns) => Number(ns) / 1e6;
const sleep = (millis) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, millis);

/** Run a fixture command; throw with its stderr unless it exits 0. */
function sh(cmd, args, { cwd, input } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: ENV, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd ?? '.'}) exited ${r.status}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** One timed run: wall clock around spawnSync, stdin a closed pipe (not a TTY), output captured. */
function timed(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: ENV, stdio: 'pipe', input: '', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
  const t1 = process.hrtime.bigint();
  return { ms: ms(t1 - t0), status: r.status, signal: r.signal, error: r.error, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

const workDir = mkdtempSync(path.join(os.tmpdir(), 'cnpg-bench-'));
let seq = 0;
const freshPath = (name) => path.join(workDir, `${name}-${++seq}`);

const CLUSTER_SETTINGS = `---
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
`;

const CRDS_HELMFILE = `---
helmDefaults:
  args: ["--include-crds", "--no-hooks"]
---
releases:
  - name: prometheus-operator-crds
    namespace: observability
    chart: oci://ghcr.io/prometheus-community/charts/prometheus-operator-crds
    version: 19.1.0
`;

const fluxKs = (name, pathInRepo, namespace, dependsOn) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  targetNamespace: ${namespace}
  commonMetadata:
    labels:
      app.kubernetes.io/name: ${name}
${dependsOn ? `  dependsOn:\n    - name: ${dependsOn}\n` : ''}  path: ${pathInRepo}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  wait: false
  interval: 30m
  retryInterval: 1m
  timeout: 5m
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
`;

const helmRelease = (app, rev) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app}
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: ${app}
  install:
    remediation:
      retries: -1
  upgrade:
    cleanupOnFail: true
    remediation:
      retries: 3
  values:
    replicaCount: 1
    image:
      repository: ghcr.io/example/${app}
      tag: 1.${rev}.0
    resources:
      requests:
        cpu: 10m
        memory: 64Mi
      limits:
        memory: 256Mi
    persistence:
      enabled: true
      storageClass: \${BLOCK_SC}
`;

const ociRepository = (app) => `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${app}
spec:
  interval: 5m
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    tag: 2.4.1
  url: oci://ghcr.io/example/charts/${app}
`;

const kustomization = (resources) =>
  `---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;

const pad = (n, w) => String(n).padStart(w, '0');

/**
 * The files of a GitOps repo, first the few every fixture shares (so the small and large repos differ only in
 * size), then Flux apps under kubernetes/apps/<ns>/<app>/..., then docs/terraform/talos filler. Each entry is
 * [path, content(rev)]; `rev` lets history rewrite a file (an image tag bump) without storing every version.
 */
function repoFiles(count) {
  const files = [
    ['kubernetes/clusters/infra/cluster-settings.yaml', () => CLUSTER_SETTINGS],
    ['bootstrap/helmfile.d/00-crds.yaml', () => CRDS_HELMFILE],
    ['kubernetes/flux/cluster/ks.yaml', () => fluxKs('cluster-apps', './kubernetes/apps', 'flux-system')],
    ['README.md', () => '# home-ops\n\nFlux GitOps repository (benchmark fixture).\n'],
  ];
  const apps = [];
  outer: for (let n = 0; n < 75; n++) {
    const ns = `ns-${pad(n, 2)}`;
    const dir = `kubernetes/apps/${ns}`;
    const names = Array.from({ length: 50 }, (_, i) => `app-${pad(n, 2)}-${pad(i, 2)}`);
    apps.push([`${dir}/namespace.yaml`, () => `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`]);
    apps.push([`${dir}/kustomization.yaml`, () => kustomization(['./namespace.yaml', ...names.map((a) => `./${a}/ks.yaml`)])]);
    for (const app of names) {
      apps.push([`${dir}/${app}/ks.yaml`, () => fluxKs(app, `./${dir}/${app}/app`, ns, n > 0 ? 'cluster-apps' : undefined)]);
      apps.push([`${dir}/${app}/app/helmrelease.yaml`, (rev) => helmRelease(app, rev)]);
      apps.push([`${dir}/${app}/app/ocirepository.yaml`, () => ociRepository(app)]);
      apps.push([`${dir}/${app}/app/kustomization.yaml`, () => kustomization(['./ocirepository.yaml', './helmrelease.yaml'])]);
      if (files.length + apps.length >= count) break outer;
    }
  }
  files.push(...apps.slice(0, Math.max(0, count - files.length)));
  for (let i = 0; files.length < count; i++) {
    const k = i % 4;
    const g = Math.floor(i / 4);
    if (k === 0) files.push([`docs/section-${pad(g % 40, 2)}/page-${pad(g, 4)}.md`, () => `# Page ${g}\n\nRunbook notes for section ${g % 40}.\n`]);
    if (k === 1) files.push([`terraform/modules/m-${pad(g, 4)}/main.tf`, () => `resource "null_resource" "m${g}" {\n  triggers = { id = "${g}" }\n}\n`]);
    if (k === 2) files.push([`talos/patches/node-${pad(g, 4)}.yaml`, () => `machine:\n  network:\n    hostname: node-${g}\n`]);
    if (k === 3) files.push([`scripts/tasks/task-${pad(g, 4)}.sh`, () => `#!/usr/bin/env bash\nset -euo pipefail\necho task ${g}\n`]);
  }
  return files;
}

/**
 * A `git fast-import` stream: `commits` commits on main that add `files` in order (evenly spread), and from the
 * second commit on also rewrite one earlier helmrelease (deterministic pseudo-random pick), as a real history does.
 */
function fastImportStream(files, commits) {
  const chunks = [];
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const perCommit = Math.ceil(files.length / commits);
  const revs = new Map();
  let rng = 12345;
  const next = () => (rng = (rng * 1103515245 + 12345) >>> 0) % 2 ** 31;
  let added = 0;
  for (let c = 0; c < commits; c++) {
    const when = 1_700_000_000 + c * 3600;
    const batch = files.slice(added, Math.min(files.length, added + perCommit));
    const msg = c === 0 ? 'chore: initial commit\n' : `feat: add ${batch.length} files (${c})\n`;
    chunks.push(`commit refs/heads/main\nauthor Bench <bench@example.com> ${when} +0000\ncommitter Bench <bench@example.com> ${when} +0000\n${data(msg)}`);
    for (const [p, content] of batch) {
      revs.set(p, 0);
      chunks.push(`M 100644 inline ${p}\n${data(content(0))}`);
    }
    added += batch.length;
    if (c > 0) {
      const pool = files.slice(0, added).filter(([p]) => p.endsWith('/helmrelease.yaml'));
      if (pool.length > 0) {
        const [p, content] = pool[next() % pool.length];
        const rev = revs.get(p) + 1;
        revs.set(p, rev);
        chunks.push(`M 100644 inline ${p}\n${data(content(rev))}`);
      }
    }
    chunks.push('\n');
  }
  return chunks.join('');
}

/**
 * Build a repo with a worktree from a generated history. The index is refreshed after a pause so that no entry
 * is "racily clean" (which would make the first git command in every copy re-hash files the user never touched).
 */
function buildRepo(dir, fileCount, commits) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  sh('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  sh('git', ['fast-import', '--quiet'], { cwd: dir, input: fastImportStream(repoFiles(fileCount), commits) });
  sh('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
  sleep(1100);
  sh('git', ['update-index', '-q', '--refresh'], { cwd: dir });
}

/** The one-time large repo, reused from .bench/large-template while its recipe matches. */
function largeTemplate() {
  const dest = path.join(BENCH_DIR, 'large-template');
  const stamp = path.join(dest, '.git', 'bench-recipe');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === LARGE_RECIPE) {
    log(`large repo: reusing ${path.relative(root, dest)} (${LARGE_RECIPE})`);
    return dest;
  }
  const tmp = `${dest}.tmp-${process.pid}`;
  log(`large repo: building ${path.relative(root, dest)} (${LARGE_FILES} files, ${LARGE_COMMITS} commits) ...`);
  const t0 = process.hrtime.bigint();
  buildRepo(tmp, LARGE_FILES, LARGE_COMMITS);
  writeFileSync(path.join(tmp, '.git', 'bench-recipe'), LARGE_RECIPE);
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  log(`large repo: built in ${(ms(process.hrtime.bigint() - t0) / 1000).toFixed(1)} s (one-time cost)`);
  return dest;
}

/** A copy of a template repo, with its index refreshed (a copy has new inodes/ctimes), all outside the timing. */
function copyRepo(template, name) {
  const dir = freshPath(name);
  sh('cp', ['-a', template, dir]);
  sh('git', ['update-index', '-q', '--refresh'], { cwd: dir });
  return dir;
}

/** `tar | tar` copy (keeps mtimes; several times faster than `cp -a` for 20,000 small files here). */
function tarCopy(from, to) {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  sh('sh', ['-c', 'tar -C "$1" -cf - . | tar -C "$2" -xf -', 'tarcopy', from, to]);
  sh('git', ['update-index', '-q', '--refresh'], { cwd: to });
}

/**
 * A reusable working copy of a template for the bump goal, and a `restore()` that puts it back to the template's
 * exact tree (tracked files, untracked files, index, HEAD) before each iteration. On this machine's disk creating
 * and deleting 20,000 files costs ~20 s each way, so a new copy per iteration would not fit the time budget;
 * restoring rewrites only the handful of files the previous iteration touched. BENCH_FRESH_COPY=1 makes a new
 * `tar | tar` copy per iteration instead (slow; for checking that both ways agree).
 */
function workingCopy(template, dest) {
  const baseline = sh('git', ['rev-parse', 'HEAD'], { cwd: template }).trim();
  const stamp = path.join(dest, '.git', 'bench-baseline');
  if (!(existsSync(stamp) && readFileSync(stamp, 'utf8') === baseline)) {
    const t0 = process.hrtime.bigint();
    tarCopy(template, dest);
    writeFileSync(stamp, baseline);
    log(`  working copy ${dest.startsWith(root) ? path.relative(root, dest) : dest}: made in ${(ms(process.hrtime.bigint() - t0) / 1000).toFixed(1)} s`);
  }
  const restore = () => {
    sh('git', ['checkout', '-q', '-f', '-B', 'main', baseline], { cwd: dest });
    sh('git', ['clean', '-q', '-f', '-d', '-x'], { cwd: dest });
    sh('git', ['update-index', '-q', '--refresh'], { cwd: dest });
  };
  restore();
  // Keep leftovers of earlier runs from piling up into an automatic `git gc` inside a timed commit.
  const loose = Number(/^count: (\d+)/m.exec(sh('git', ['count-objects', '-v'], { cwd: dest }))?.[1] ?? 0);
  if (loose > 500) {
    sh('git', ['reflog', 'expire', '--expire=now', '--all'], { cwd: dest });
    sh('git', ['prune', '--expire=now'], { cwd: dest });
  }
  return { dir: dest, restore };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------------

/**
 * A side: `prepare()` makes its fixture (untimed) and returns { cwd, ... }; `command(ctx)` gives [cmd, args];
 * `expect` is the exit code it must end with; `verify(ctx, result)` may return a complaint (untimed).
 */
function measurePairs(a, b, pairs) {
  const [A, B] = measureSides([a, b], pairs);
  return { a: A.median, b: B.median, n: Math.min(A.times.length, B.times.length), errors: [A.error && `A: ${A.error}`, B.error && `B: ${B.error}`].filter(Boolean) };
}

/** Any number of sides, interleaved (A B C D A B C D ...): one warm-up round, then `pairs` measured rounds. */
function measureSides(list, pairs) {
  const sides = list.map((s) => ({ ...s, times: [], error: undefined }));
  for (let i = 0; i < 1 + pairs; i++) {
    for (const s of sides) {
      let ctx;
      try {
        ctx = s.prepare ? s.prepare() : { cwd: workDir };
        // Flush what the fixture work left dirty, so a timed fsync (the writer syncs each file) or journal commit
        // does not pay for writing back the untimed setup's files and index.
        spawnSync('sync', [], { stdio: 'ignore' });
        const [cmd, args] = s.command(ctx);
        const r = timed(cmd, args, ctx.cwd);
        let complaint;
        if (r.error) complaint = r.error.message;
        else if (r.status !== (s.expect ?? 0)) {
          complaint = `exit ${r.status ?? r.signal} (expected ${s.expect ?? 0}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
        } else if (s.verify) complaint = s.verify(ctx, r);
        if (complaint) s.error ??= complaint;
        if (i >= 1) s.times.push(r.ms);
      } catch (e) {
        s.error ??= `fixture: ${e.message.split('\n')[0]}`;
      } finally {
        if (!ctx?.keep && ctx?.cwd && ctx.cwd !== workDir) rmSync(ctx.cwd, { recursive: true, force: true });
      }
    }
  }
  if (VERBOSE) sides.forEach((x, k) => log(`    ${'ABCD'[k]} samples (ms): ${x.times.map((t) => t.toFixed(0)).join(' ')}`));
  return sides.map((x) => ({ median: median(x.times), times: x.times, error: x.error }));
}

const rows = [];
function report(goal, label, a, b, limit, result) {
  const ratio = result.a / result.b;
  const pass = result.errors.length === 0 && ratio <= limit;
  rows.push({ goal, label, a, b, aMs: result.a, bMs: result.b, ratio, limit, pass, n: result.n, errors: result.errors });
  const status = result.errors.length ? 'ERROR' : pass ? 'pass' : 'FAIL';
  log(`  goal ${goal} ${label}: ${result.a.toFixed(1)} ms vs ${result.b.toFixed(1)} ms = ${ratio.toFixed(2)}x (limit ${limit}x) ${status}`);
  for (const e of result.errors) log(`    ${e}`);
}

/** Max RSS (KiB) of one run: GNU time's %M (ru_maxrss of the child, which covers its git children too). */
function maxRss(cmd, args, cwd) {
  const out = path.join(workDir, `rss-${++seq}.txt`);
  let r;
  if (TIME) {
    r = spawnSync(TIME, ['-f', '%M', '-o', out, cmd, ...args], { cwd, env: ENV, stdio: 'pipe', input: '', encoding: 'utf8' });
  } else {
    // Fallback: a preload that records process.resourceUsage().maxRSS (KiB) of the node process at exit.
    r = spawnSync(cmd, ['-r', RSS_PRELOAD, ...args], { cwd, env: { ...ENV, BENCH_MAXRSS_FILE: out }, stdio: 'pipe', input: '', encoding: 'utf8' });
  }
  const kib = existsSync(out) ? Number.parseInt(readFileSync(out, 'utf8').trim().split('\n').pop(), 10) : NaN;
  return { kib, status: r.status, stderr: r.stderr ?? '' };
}

// ---------------------------------------------------------------------------------------------------------------
// The goals
// ---------------------------------------------------------------------------------------------------------------

log('cnpg-operator bench');
log(`date: ${new Date().toISOString()}`);
log(`cpu: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}`);
log(`node: ${process.version}  git: ${sh('git', ['--version']).trim().replace(/^git version /, '')}`);
log(`pairs: ${PAIRS_FAST} measured (goals 1, 5), ${PAIRS_SLOW} measured (goals 2, 3), each after 1 warm-up pair; medians`);
log(`max RSS via: ${TIME ? `${TIME} -f %M (ru_maxrss of the child process tree's largest process)` : 'preload reading process.resourceUsage().maxRSS at exit'}`);
log();

if (!existsSync(path.join(root, 'dist/src/cli/main.js'))) log('warning: dist/ is missing; run `npm run build` first (npm run bench does)');

// A "fresh git repo" like `npm run demo` makes: cluster-settings.yaml and one commit. Built once, copied per run.
const freshTemplate = path.join(workDir, 'fresh-template');
mkdirSync(path.join(freshTemplate, 'kubernetes/clusters/infra'), { recursive: true });
writeFileSync(path.join(freshTemplate, 'kubernetes/clusters/infra/cluster-settings.yaml'), CLUSTER_SETTINGS);
sh('git', ['init', '-q', '-b', 'main'], { cwd: freshTemplate });
sh('git', ['add', '-A'], { cwd: freshTemplate });
sh('git', ['commit', '-q', '-m', 'chore: demo GitOps repo'], { cwd: freshTemplate });
const freshRepo = () => ({ cwd: copyRepo(freshTemplate, 'fresh') });
const head = (cwd) => sh('git', ['rev-parse', 'HEAD'], { cwd }).trim();
const committed = (ctx) => (head(ctx.cwd) === ctx.before ? 'ran, but made no commit' : undefined);
const freshRepoWithHead = () => {
  const ctx = freshRepo();
  ctx.before = head(ctx.cwd);
  return ctx;
};
const nodeEmpty = { command: () => [NODE, ['-e', '']] };

/** Run one goal if BENCH_ONLY selects it; a fixture that cannot be built becomes an ERROR row, not a crash. */
function goal(n, title, limit, fn) {
  if (!wanted(n)) return;
  log(`goal ${n}: ${title}`);
  try {
    fn();
  } catch (e) {
    const error = `fixture: ${e.message.split('\n').slice(0, 3).join(' | ')}`;
    rows.push({ goal: n, label: title, aMs: NaN, bMs: NaN, ratio: NaN, limit, pass: false, n: 0, errors: [error] });
    log(`  goal ${n} ERROR ${error}`);
  }
}

goal(1, 'bin full job vs a plain script that writes the same files and commits them with git add + git commit', 1.3, () => {
  // The files the bin writes in a fresh repo, captured once (untimed) for the plain script to write.
  const probe = copyRepo(freshTemplate, 'probe');
  sh(NODE, [BIN, '--yes', '--no-commit'], { cwd: probe });
  const changed = sh('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: probe })
    .split('\0')
    .filter(Boolean)
    .map((l) => l.slice(3));
  const filesJson = path.join(workDir, 'plain-files.json');
  writeFileSync(filesJson, JSON.stringify(Object.fromEntries(changed.map((p) => [p, readFileSync(path.join(probe, p), 'utf8')]))));
  rmSync(probe, { recursive: true, force: true });
  log(`  plain script writes the same ${changed.length} files`);
  const r = measurePairs(
    { prepare: freshRepoWithHead, command: () => [NODE, [BIN, '--yes']], verify: committed },
    { prepare: freshRepoWithHead, command: () => [NODE, [PLAIN_WRITER, filesJson]], verify: committed },
    PAIRS_FAST,
  );
  report(1, 'bin --yes (fresh repo) vs plain fs + git add + git commit', 'bin --yes', 'plain script', 1.3, r);
});

goal(2, 'Yeoman door vs a minimal one-file Yeoman generator (same driver)', 1.1, () => {
  const r = measurePairs(
    { prepare: freshRepoWithHead, command: (ctx) => [NODE, [DRIVER, GENERATOR, ctx.cwd, '--yes']], verify: committed },
    {
      prepare: freshRepoWithHead,
      command: (ctx) => [NODE, [DRIVER, MINIMAL, ctx.cwd]],
      verify: (ctx) => (existsSync(path.join(ctx.cwd, 'hello.txt')) ? committed(ctx) : 'hello.txt was not written'),
    },
    PAIRS_SLOW,
  );
  report(2, 'yo door --yes vs minimal generator (one file, git add + git commit)', 'generators/app --yes', 'minimal generator', 1.1, r);
});

goal(3, 'version bump rerun, large repo vs small repo', 1.2, () => {
  const large = largeTemplate();
  const smallT0 = process.hrtime.bigint();
  const small = path.join(workDir, 'small-template');
  buildRepo(small, 6, 3);
  log(`small repo: built in ${(ms(process.hrtime.bigint() - smallT0) / 1000).toFixed(1)} s (6 files, 3 commits)`);
  const fresh = process.env.BENCH_FRESH_COPY === '1';
  log(`per iteration: ${fresh ? 'a new tar|tar copy of the template' : 'a reused working copy restored to the template (checkout -f, clean -fdx)'}, refreshed index, setup run \`--yes\`, all untimed`);
  const works = {};
  const bumpSide = (template, name) => {
    const work = fresh ? undefined : (works[name] ??= workingCopy(template, name === 'large' ? path.join(BENCH_DIR, 'large-work') : path.join(workDir, `${name}-work`)));
    return {
      prepare: () => {
        let cwd;
        if (work) {
          work.restore();
          cwd = work.dir;
        } else {
          cwd = freshPath(name);
          tarCopy(template, cwd);
        }
        // The large fixture holds both layouts' marks (an apps tree and a cluster-settings file): name the layout,
        // as a user of such a repo must; it is stored, so the timed bump needs no flag.
        const setup = timed(NODE, [BIN, '--yes', '--layout', 'infrastructure'], cwd);
        if (setup.status !== 0) {
          if (!work) rmSync(cwd, { recursive: true, force: true });
          throw new Error(`setup run (--yes) exited ${setup.status}: ${setup.stderr.trim().split('\n').slice(-2).join(' | ')}`);
        }
        return { cwd, keep: Boolean(work), before: head(cwd), setupMs: setup.ms };
      },
      command: () => [NODE, [BIN, '--yes', '--chart-version', '0.26.1']],
      verify: committed,
    };
  };
  // git's own cost of committing one changed file with `git add` + `git commit --only`, in each repo.
  const gitSide = (template, name) => {
    const work = fresh ? undefined : (works[name] ??= workingCopy(template, name === 'large' ? path.join(BENCH_DIR, 'large-work') : path.join(workDir, `${name}-work`)));
    return {
      prepare: () => {
        let cwd;
        if (work) {
          work.restore();
          cwd = work.dir;
        } else {
          cwd = freshPath(`${name}-git`);
          tarCopy(template, cwd);
        }
        writeFileSync(path.join(cwd, 'kubernetes/clusters/infra/cluster-settings.yaml'), CLUSTER_SETTINGS + '  EXTRA: "1"\n');
        return { cwd, keep: Boolean(work), before: head(cwd) };
      },
      command: () => ['sh', ['-c', 'git add -- "$1" && git commit -q --only -m bench -- "$1"', 'git1', 'kubernetes/clusters/infra/cluster-settings.yaml']],
      verify: committed,
    };
  };
  const [largeBump, smallBump, largeGit, smallGit] = measureSides([bumpSide(large, 'large'), bumpSide(small, 'small'), gitSide(large, 'large'), gitSide(small, 'small')], PAIRS_SLOW);
  const budget = smallBump.median + (largeGit.median - smallGit.median);
  log(`  small-repo bump ${smallBump.median.toFixed(1)} ms; git add + git commit --only of one file: ${largeGit.median.toFixed(1)} ms large vs ${smallGit.median.toFixed(1)} ms small (+${(largeGit.median - smallGit.median).toFixed(1)} ms)`);
  const r = {
    a: largeBump.median,
    b: budget,
    n: Math.min(...[largeBump, smallBump, largeGit, smallGit].map((x) => x.times.length)),
    errors: [['large bump', largeBump], ['small bump', smallBump], ['large git', largeGit], ['small git', smallGit]].filter(([, x]) => x.error).map(([k, x]) => `${k}: ${x.error}`),
  };
  report(3, `bump: ${LARGE_FILES} files/${LARGE_COMMITS} commits vs small bump + git's extra for one file there`, 'large repo bump', 'small bump + git extra', 1.2, r);
});

let rss;
goal(4, `peak RSS, bin full job vs node -e "" (${RSS_RUNS} runs each, interleaved, median)`, 2, () => {
  const a = [];
  const b = [];
  const errors = [];
  for (let i = 0; i < RSS_RUNS; i++) {
    const cwd = copyRepo(freshTemplate, 'rss');
    const ra = maxRss(NODE, [BIN, '--yes'], cwd);
    if (ra.status !== 0) errors.push(`A: exit ${ra.status}: ${ra.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    a.push(ra.kib);
    rmSync(cwd, { recursive: true, force: true });
    b.push(maxRss(NODE, ['-e', ''], workDir).kib);
  }
  const result = { a: median(a) / 1024, b: median(b) / 1024, n: RSS_RUNS, errors: errors.slice(0, 1) };
  rss = result;
  const ratio = result.a / result.b;
  const pass = errors.length === 0 && ratio <= 2;
  rows.push({ goal: 4, label: 'peak RSS (MiB): bin --yes vs node -e ""', aMs: result.a, bMs: result.b, ratio, limit: 2, pass, n: RSS_RUNS, errors: result.errors, unit: 'MiB' });
  log(`  goal 4 peak RSS: ${result.a.toFixed(1)} MiB vs ${result.b.toFixed(1)} MiB = ${ratio.toFixed(2)}x (limit 2x) ${errors.length ? 'ERROR' : pass ? 'pass' : 'FAIL'}`);
  for (const e of result.errors) log(`    ${e}`);
});

goal(5, 'fast paths vs node -e ""', 1.5, () => {
  const fast = [
    ['--help', [BIN, '--help'], 0],
    ['--version', [BIN, '--version'], 0],
    ['--replicas 0 (refused, exit 2)', [BIN, '--replicas', '0'], 2],
  ];
  for (const [label, args, expect] of fast) {
    const r = measurePairs({ command: () => [NODE, args], expect }, nodeEmpty, PAIRS_FAST);
    report(5, `bin ${label} vs node -e ""`, `bin ${label}`, "node -e ''", 1.5, r);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

const totalS = ms(process.hrtime.bigint() - benchStart) / 1000;
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const header = ['goal', 'what (A vs B)', 'A median', 'B median', 'ratio', 'limit', 'n', 'result'];
const table = rows.map((r) => [
  String(r.goal),
  r.label,
  `${fmt(r.aMs)} ${r.unit ?? 'ms'}`,
  `${fmt(r.bMs)} ${r.unit ?? 'ms'}`,
  Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : 'n/a',
  `${r.limit}x`,
  String(r.n),
  r.errors.length ? 'ERROR' : r.pass ? 'pass' : 'FAIL',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
log();
log(line(header));
log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) log(line(row));
if (rss) log(`peak RSS: bin --yes ${fmt(rss.a)} MiB, node -e '' ${fmt(rss.b)} MiB`);
const errs = rows.filter((r) => r.errors.length);
for (const r of errs) for (const e of r.errors) log(`goal ${r.goal} (${r.label}) ${e}`);
log(`bench took ${totalS.toFixed(1)} s; ${rows.filter((r) => r.pass).length}/${rows.length} pass`);

const md = [
  '# cnpg-operator bench',
  '',
  `- date: ${new Date().toISOString()}`,
  `- cpu: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}`,
  `- node: ${process.version}`,
  `- pairs: ${PAIRS_FAST} (goals 1, 5), ${PAIRS_SLOW} (goals 2, 3) after one warm-up pair; RSS runs: ${RSS_RUNS}`,
  `- took: ${totalS.toFixed(1)} s`,
  '',
  `| ${header.join(' | ')} |`,
  `| ${header.map((_, i) => (i >= 2 && i <= 6 ? '---:' : '---')).join(' | ')} |`,
  ...table.map((row) => `| ${row.join(' | ')} |`),
  '',
  ...(rss ? [`Peak RSS: bin --yes ${fmt(rss.a)} MiB, node -e '' ${fmt(rss.b)} MiB.`, ''] : []),
  ...errs.flatMap((r) => r.errors.map((e) => `- goal ${r.goal} (${r.label}) ${e.replace(/\|/g, '\\|')}`)),
  '',
];
try {
  mkdirSync(BENCH_DIR, { recursive: true });
  writeFileSync(path.join(BENCH_DIR, 'latest.md'), md.join('\n'));
  log(`wrote ${path.relative(process.cwd(), path.join(BENCH_DIR, 'latest.md'))}`);
} catch (e) {
  log(`could not write .bench/latest.md: ${e.message}`);
}

if (process.env.BENCH_KEEP === '1') log(`kept work folder ${workDir}`);
else rmSync(workDir, { recursive: true, force: true });
process.exitCode = 0;
