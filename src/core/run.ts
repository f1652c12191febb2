/**
 * One run of the generator, shared by both doors: census of the repo (census.ts) -> answers decided
 * (answers.ts: flag > prompt > repo > stored > default) -> prompts, when interactive, prefilled from that
 * resolution, then resolved again -> plan (plan.ts) -> write / preview / check, committing exactly the touched
 * paths. The doors parse their flags (settings.ts) and, when interactive, ask the questions through `ask`.
 */
import { type Resolution, clusterRefusal, knownClusters, resolveAnswers, unknownClusterError } from './answers.js';
import { type Census, type LayoutDetection, chooseLayout, clusterOf, detectLayout, loadStored, readLayoutFiles, readRepo, withClusters, withNamespace } from './census.js';
import { fluxKustomizationRefusal, installRefusal } from './detect.js';
import { FileError, InputError, RunFailure, exitCodeOf } from './errors.js';
import { LAYOUTS, type Layout, YO_RC, ownedGeneratedPaths } from './layout.js';
import { type Plan, makePlan, renderGenerated } from './plan.js';
import { checkWritable } from './preflight.js';
import { type Repo, gitBlocker, lastGeneratedFiles, openRepo, readRepoFile } from './repo.js';
import { type Answers, DEFAULT_ANSWERS, type RunOptions, SETTINGS, type SettingKey, appliesIn, parseSetting } from './settings.js';
import { formatSummary, summarize } from './summary.js';
import { parse as parseYaml } from 'yaml';
import { applyWrites, withRepoLock } from './apply.js';
import { commitPaths } from './git-commit.js';
import { type PendingEntry, type Pending, clearPending, commitRefusal, contentHash, inspectPaths, isDirty, isPendingOurs, readPending, recordPending, uncommittedPaths } from './git-guard.js';
import { planOnly, planOnlyLines, runUpgrades, upgradeCommitLines, upgradeJson, upgradeLines } from './upgrade-run.js';
import { planJson } from './upgrade.js';

/** Setting values given on the command line, already parsed by the door (parseSetting); the core does not parse them again. */
export type Flags = Partial<Answers>;

export interface Question {
  key: SettingKey;
  message: string;
  /** The suggestion (Resolution.prefills): what the run takes when the answer is left as it is. */
  default: string;
  choices?: readonly string[];
  /** Returns an error text, or true when valid. */
  validate(input: string): true | string;
}

export interface RunRequest {
  cwd: string;
  generatorVersion: string;
  /** Settings given as flags, already parsed by the door (parseSetting); re-parsing them is harmless. */
  flags: Partial<Answers>;
  options: RunOptions;
  /** Present only when the door may prompt (a TTY and no --yes). */
  ask?: (questions: Question[]) => Promise<Partial<Record<SettingKey, string>>>;
  out(line: string): void;
  err(line: string): void;
}

export interface RunResult {
  exitCode: number;
  plan?: Plan;
  answers?: Answers;
  commit?: string;
}


/** Both phases at once (the bin). */
export async function run(req: RunRequest): Promise<RunResult> {
  return guard(req, async () => execute(req, await prepare(req)));
}

/** Map an error to one line and an exit code: 2 for invalid input (InputError, FileError), else 1. */
export async function guard(req: RunRequest, fn: () => Promise<RunResult>): Promise<RunResult> {
  try {
    return await fn();
  } catch (e) {
    req.err(`error: ${(e as Error).message}`); // a FileError reads "file:line: problem"
    return { exitCode: exitCodeOf(e) };
  }
}

export interface Prepared {
  repo: Repo;
  plan: Plan;
  answers: Answers;
  /** Every cluster the census found or read, by name. */
  clusters: string[];
  files: ReadonlyMap<string, string | undefined>;
  /** A cluster's settings data from the census (throws its FileError when the file is not valid). */
  settingsOf(cluster: string): Record<string, string>;
  census: Census;
  resolution: Resolution;
}

/** Ask the prompt for `keys` (those the resolution allows), prefilled from it; answers are parsed here. */
async function promptFor(req: RunRequest, r: Resolution, keys: SettingKey[], census?: Census): Promise<Partial<Answers>> {
  const known = census ? knownClusters(census) : [];
  const questions = SETTINGS.filter((s) => keys.includes(s.key) && r.askable.includes(s.key)).map<Question>((s) => ({
    key: s.key,
    message: s.key === 'cluster' && known.length > 0 ? `${s.message!} [found: ${known.join(', ')}]` : s.message!,
    default: r.prefills[s.key],
    choices: s.choices,
    validate: (input: string) => {
      try {
        const value = parseSetting(s.key, input);
        const unknown = s.key === 'cluster' && census ? unknownClusterError(census, value as string[], 'cluster', req.options) : undefined;
        if (unknown) return unknown.message;
        return true;
      } catch (e) {
        return (e as Error).message;
      }
    },
  }));
  if (questions.length === 0 || !req.ask) return {};
  const prompted: Partial<Answers> = {};
  for (const [key, raw] of Object.entries(await req.ask(questions)) as [SettingKey, string][]) {
    if (raw !== undefined) (prompted as Record<string, unknown>)[key] = parseSetting(key, raw);
  }
  return prompted;
}

/** Bases for the 3-way merge: the stored answers rendered by this same generator version are exact; after an
 *  upgrade of the generator, the files of its last commit are. */
function mergeBases(repo: Repo, census: Census, answers: Answers, generatorVersion: string): Map<string, string> {
  const layout = census.layout;
  const stored = census.stored;
  const storedNs = stored?.values.namespace ?? answers.namespace;
  const paths = [...new Set([...ownedGeneratedPaths(layout, answers.namespace), ...ownedGeneratedPaths(layout, storedNs)])];
  // Settings that do not apply in this layout are not stored; the rendering does not read them.
  const complete = stored !== undefined && SETTINGS.every((s) => s.key in stored.values || s.key === 'layout' || s.key === 'cluster' || s.key === 'storageClass');
  const storedAnswers = { ...answers, ...stored?.values, layout: layout.name } as Answers;
  if (complete && stored.generatorVersion === generatorVersion) return renderGenerated(storedAnswers, layout);
  if (!stored && !paths.some((p) => census.files.get(p) !== undefined)) return new Map();
  // After a generator upgrade, the files of its last commit are the bases: they include files this version no
  // longer writes (the monitoring files the one-folder version kept in operator/), and a file of a new part has none.
  const last = lastGeneratedFiles(repo, layout.appDir(storedNs), paths);
  return last.size === 0 && complete ? renderGenerated(storedAnswers, layout) : last;
}

/** Names of the Flux Kustomizations a layout writes (one per part; the names do not depend on other answers). */
function fluxNamesOf(layout: Layout, namespace: string): string[] {
  return layout.parts(namespace, 'victoria-metrics').map((p) => p.fluxName);
}

/** What stands for layout detection when a stored layout makes it needless. */
const NOT_DETECTED: LayoutDetection = { reason: 'not looked at: the layout is stored', empty: false, evidence: { infrastructure: [], apps: [], other: [] } };

/** Phase 1: census, answers (with prompts when interactive), plan. Writes nothing. */
export async function prepare(req: RunRequest): Promise<Prepared> {
  const { options, flags } = req;
  const repo = openRepo(req.cwd);
  // The layout first (every path depends on it): --layout, else the stored one, else the repo's entry points.
  // A rerun with a stored layout looks at nothing (its cost must not grow with the repo).
  const storedEarly = loadStored(readRepoFile(repo, YO_RC))?.values;
  const storedLayout = storedEarly?.layout;
  const detection = storedLayout ? NOT_DETECTED : detectLayout(readLayoutFiles(repo));
  const layoutChoice = chooseLayout(flags.layout, storedLayout, detection);
  const LAYOUT: Layout = LAYOUTS[layoutChoice.value];
  // The Flux Kustomizations the generator writes, for the scan to look up in the same git grep.
  const fluxNames = fluxNamesOf(LAYOUT, flags.namespace ?? storedEarly?.namespace ?? DEFAULT_ANSWERS.namespace);
  let census: Census = {
    ...readRepo(repo, LAYOUT, {
      clusters: flags.cluster,
      dependsOn: flags.dependsOn,
      namespaces: flags.namespace ? [flags.namespace] : [],
      monitoring: flags.monitoring,
      monitoringLabels: flags.monitoringLabels,
      fluxNames,
    }),
    detection,
  };
  // Another install of the chart in the repo: refused before any question is asked.
  const existing = installRefusal(census.scan.installs);
  if (existing) throw new InputError(existing);
  if (LAYOUT.fluxRoot && detection !== NOT_DETECTED && detection.evidence.apps.length === 0) {
    census.warnings.push(`--layout ${LAYOUT.name}: no Flux Kustomization in this repo applies ./kubernetes/apps (looked in ${LAYOUT.fluxRoot} and kubernetes/); nothing will apply what is written until one does`);
  }
  const resolve = (prompted: Partial<Answers>): Resolution => {
    const first = resolveAnswers(flags, census.stored, census, prompted, options);
    const before = census;
    census = withClusters(census, repo, first.answers.cluster);
    census = withNamespace(census, repo, first.answers.namespace);
    return census === before ? first : resolveAnswers(flags, census.stored, census, prompted, options);
  };
  let prompted: Partial<Answers> = {};
  let resolution = resolve(prompted);
  if (req.ask && !options.check && !options.plan) {
    // The clusters first: the other suggestions come from the chosen clusters' settings.
    prompted = await promptFor(req, resolution, ['cluster'], census);
    resolution = resolve(prompted);
    prompted = { ...prompted, ...(await promptFor(req, resolution, SETTINGS.map((s) => s.key).filter((k) => k !== 'cluster'))) };
    resolution = resolve(prompted);
  }
  const { answers } = resolution;
  const upgrades = options.plan ? [] : runUpgrades(census, resolution, options);
  // A cluster the repo does not have, in a repo that has clusters: a typo, unless --new-cluster.
  const unknownCluster = clusterRefusal(census, resolution, options);
  if (unknownCluster) throw unknownCluster;

  const bases = mergeBases(repo, census, answers, req.generatorVersion);
  const plan = makePlan({
    resolution,
    layout: LAYOUT,
    generatorVersion: req.generatorVersion,
    files: census.files,
    bases,
    existing: census.stored !== undefined || ownedGeneratedPaths(LAYOUT, answers.namespace).some((p) => census.files.get(p) !== undefined),
    force: options.force,
    upgradeLines: upgradeCommitLines(upgrades),
    crdsHelmfile: census.crdsHelmfile,
    namespaceStyle: census.namespaceStyle,
    previousNamespace: census.stored?.values.namespace,
  });
  plan.warnings.unshift(...census.warnings, ...resolution.warnings);
  plan.upgrades = upgrades;
  // Never rename or replace a Flux Kustomization the generator did not write (--force included).
  const fluxRefusal = fluxKustomizationRefusal(repo, plan, bases, census.scanned ? census.scan : undefined);
  if (fluxRefusal) throw new InputError(fluxRefusal);

  if (!options.json && !options.check && !options.plan) {
    const width = Math.max(...SETTINGS.map((s) => s.key.length)) + 1;
    for (const s of SETTINGS) {
      if (!appliesIn(s.key, answers.layout)) continue;
      const r = resolution.settings[s.key];
      // The layout's source names what decided it (`repo: kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps`).
      const source = s.key === 'layout' && r.file ? `${r.source}: ${r.file}` : `${r.source}${r.detail ? `: ${r.detail}` : ''}`;
      req.out(`${s.key.padEnd(width)}= ${s.show(answers[s.key] as never) || '(none)'}  (${source})`);
    }
  }
  for (const w of plan.warnings) req.err(`warning: ${w}`);
  if (!options.json) for (const line of upgradeLines(upgrades, answers)) req.out(line);

  const final = census;
  const settingsOf = (cluster: string): Record<string, string> => {
    const c = clusterOf(final, cluster);
    if (c.error) throw c.error;
    return c.data;
  };
  return { repo, plan, answers, clusters: census.clusters.map((c) => c.name), files: census.files, settingsOf, census, resolution };
}

/** Phase 2: check, preview, or write and commit. */
export async function execute(req: RunRequest, p: Prepared): Promise<RunResult> {
  if (req.options.plan) {
    const upgrade = planOnly(p.resolution, req.options);
    for (const line of req.options.json ? [JSON.stringify(planJson(upgrade), null, 2)] : planOnlyLines(upgrade, p.answers)) req.out(line);
    return { exitCode: 0, plan: p.plan, answers: p.answers };
  }
  if (req.options.check) return check(req, p);
  if (req.options.dryRun) return dryRun(req, p);
  return withRepoLock(p.repo, () => write(req, p.repo, p.plan, p.answers));
}

function report(req: RunRequest, plan: Plan, extra: Record<string, unknown>): void {
  if (req.options.json) {
    req.out(
      JSON.stringify(
        { ...extra, ...(plan.upgrades?.length ? { upgrade: upgradeJson(plan.upgrades) } : {}), files: plan.changes.map((c) => ({ path: c.path, status: c.status, ...(c.note ? { note: c.note } : {}) })), warnings: plan.warnings },
        null,
        2,
      ),
    );
    return;
  }
  for (const c of plan.changes) {
    if (c.status !== 'unchanged' || c.note) req.out(`${c.status.padEnd(15)} ${c.path}${c.note ? `  (${c.note})` : ''}`);
  }
}

async function dryRun(req: RunRequest, { repo, plan, answers }: Prepared): Promise<RunResult> {
  const { createTwoFilesPatch } = await import('diff');
  // What the real run would refuse, or stop at: the same checks, nothing written.
  let refusal: string | undefined;
  try {
    checkWritable(repo.root, plan.writes.map((c) => c.path));
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    refusal = e.message;
  }
  if (!refusal && req.options.commit && repo.gitDir && plan.writes.length > 0) {
    const paths = plan.writes.map((c) => c.path);
    refusal = commitRefusal(repo, paths, inspectPaths(repo, paths), readPending(repo));
  }
  const exitCode = refusal ? 2 : plan.conflicted.length > 0 ? 1 : 0;
  if (req.options.json) report(req, plan, { result: 'dry run', ...(refusal ? { refusal } : {}) });
  else {
    for (const c of plan.writes) {
      const patch = createTwoFilesPatch(c.before === undefined ? '/dev/null' : `a/${c.path}`, c.after === undefined ? '/dev/null' : `b/${c.path}`, c.before ?? '', c.after ?? '', undefined, undefined, { context: 3 });
      // git-style headers: no "Index:"/"====" lines, no tab after the names.
      req.out(patch.replace(/^(?:Index: .*|=+)\n/gm, '').replace(/^(---|\+\+\+) (.*?)\t.*$/gm, '$1 $2').trimEnd());
    }
    req.out(plan.writes.length === 0 ? 'dry run: nothing would change' : `dry run: ${plan.writes.length} file(s) would change; nothing was written`);
  }
  if (plan.conflicted.length > 0) {
    req.err(`dry run: ${plan.conflicted.length} file(s) would conflict (the real run writes markers and does not commit; exit 1):`);
    for (const c of plan.conflicted) req.err(`  ${c.path}  (${c.note})`);
  }
  if (refusal) req.err(`error: the real run would refuse: ${refusal}`);
  return { exitCode, plan, answers };
}

function check(req: RunRequest, { repo, plan, answers, clusters, files, settingsOf, census }: Prepared): RunResult {
  const problems: string[] = [];
  const layout = census.layout;
  // Every place that carries the chart version must agree with the stored answers.
  // (the census read the versioned CRD helmfile's release version)
  if (census.crds !== undefined && census.crds.raw !== answers.chartVersion) {
    problems.push(`${census.crds.file}: the cloudnative-pg release is at ${census.crds.raw}, expected ${answers.chartVersion}`);
  }
  // The version's home in apps: the app's ocirepository.yaml spec.ref.tag, literal.
  const ociPath = `${layout.parts(answers.namespace, 'none')[0].dir}/ocirepository.yaml`;
  const oci = files.get(ociPath);
  if (oci !== undefined) {
    let tag: unknown;
    try {
      tag = (parseYaml(oci) as { spec?: { ref?: { tag?: unknown } } })?.spec?.ref?.tag;
    } catch {
      tag = undefined;
    }
    if (!layout.fluxVars && tag !== answers.chartVersion) problems.push(`${ociPath}: spec.ref.tag is ${JSON.stringify(tag)}, expected ${answers.chartVersion}`);
    else if (layout.fluxVars && tag !== '${CNPG_OPERATOR_VERSION}' && tag !== answers.chartVersion) {
      problems.push(`${ociPath}: spec.ref.tag is ${JSON.stringify(tag)}, expected "\${CNPG_OPERATOR_VERSION}" (or ${answers.chartVersion})`);
    }
  }
  for (const c of plan.changes) {
    if (c.path === YO_RC || c.status === 'unchanged') continue;
    problems.push(`${c.path}: ${c.status === 'created' ? 'missing' : c.status === 'deleted-by-user' ? 'deleted' : 'differs from what the stored answers generate'}`);
  }
  const cs = layout.clusterSettings;
  for (const c of cs ? clusters : []) {
    let v: string | undefined;
    try {
      v = settingsOf(c)[cs!.vars.chartVersion];
    } catch {
      continue;
    }
    if (v !== undefined && v !== answers.chartVersion) {
      problems.push(`${cs!.path(c)}: cluster ${c} is on chart ${v}, expected ${answers.chartVersion}`);
    }
  }
  // Generated and patched files that git does not have as they are on disk (untracked, uncommitted) are drift too.
  for (const u of uncommittedPaths(repo, plan.changes.filter((c) => c.after !== undefined || c.before !== undefined).map((c) => c.path))) {
    problems.push(`${u.path}: ${u.what}`);
  }
  const unique = [...new Set(problems)];
  if (req.options.json) report(req, plan, { result: unique.length === 0 ? 'ok' : 'drift', problems: unique });
  else if (unique.length === 0) req.out(`check: ok (chart ${answers.chartVersion} everywhere; files match the stored answers)`);
  else {
    req.out(`check: ${unique.length} difference(s):`);
    for (const p of unique) req.out(`  ${p}`);
  }
  return { exitCode: unique.length === 0 ? 0 : 1, plan, answers };
}

function write(req: RunRequest, repo: Repo, plan: Plan, answers: Answers): RunResult {
  const inGit = repo.gitDir !== undefined;
  const pending = inGit ? readPending(repo) : undefined;
  // Our paths this run writes, plus what earlier runs of ours left uncommitted (conflicts, --no-commit, a failed commit).
  const paths = [...new Set([...plan.writes, ...plan.conflicted].map((c) => c.path).concat(Object.keys(pending?.paths ?? {})))];
  // A read-only file or folder is found before anything is written (exit 2, naming it).
  checkWritable(repo.root, plan.writes.map((c) => c.path));
  if (req.options.commit && inGit && paths.length > 0 && plan.conflicted.length === 0) {
    const blocker = gitBlocker(repo); // a merge, rebase, held index.lock or detached HEAD: stop before asking more
    if (blocker) throw new RunFailure(`${blocker} (nothing was written)`);
  }
  const inspection = inGit && paths.length > 0 ? inspectPaths(repo, paths) : undefined;
  const dirtyOurs = (p: string) => {
    const s = inspection?.states.get(p);
    return s !== undefined && isDirty(s) && isPendingOurs(repo, p, s, pending);
  };
  // What a commit would hold: this run's writes and our pending work still differing from HEAD.
  const commitSet = paths.filter((p) => plan.writes.some((c) => c.path === p) || dirtyOurs(p));
  if (req.options.commit && inspection) {
    // Every path a commit would take or that still holds uncommitted work an earlier run of ours touched.
    const dirtyPending = paths.filter((p) => pending?.paths[p] && inspection.states.get(p) && isDirty(inspection.states.get(p)!));
    const checked = [...new Set([...commitSet, ...plan.conflicted.map((c) => c.path), ...dirtyPending])];
    const refusal = commitRefusal(repo, checked, inspection, pending);
    if (refusal) throw new InputError(refusal);
  }
  // Another run may have written between planning and taking the lock: never write over what we did not read.
  for (const c of plan.writes) {
    if (readRepoFile(repo, c.path) !== c.before) {
      throw new RunFailure(`${c.path} changed while this run was planning (another run?); nothing was written, run again`);
    }
  }
  // Recorded before writing (so a run killed between writing and committing is recognised too) and cleared once
  // committed: the next run can tell what this one wrote from the user's own edits, and commit it.
  const leavePending = () => {
    if (!inGit) return;
    const entries: Record<string, PendingEntry> = {};
    for (const c of [...plan.writes, ...plan.conflicted]) {
      const s = inspection?.states.get(c.path);
      const sha = contentHash(c.status === 'removed' ? undefined : c.after);
      // Written over edits of the user's (--no-commit): never the generator's alone to commit later.
      if (s && isDirty(s) && !isPendingOurs(repo, c.path, s, pending)) entries[c.path] = { sha, mixed: true };
      else entries[c.path] = { sha, ...(c.status === 'conflicted' ? { conflicted: true } : {}) };
    }
    recordPending(repo, entries, plan.commitMessage);
  };
  leavePending();
  applyWrites(repo, plan.writes.map((c) => ({ path: c.path, content: c.status === 'removed' ? undefined : c.after })));
  const done = (exitCode: number, summary: string, commit?: string): RunResult => {
    const subject = commit ? commitMessageFor(plan.commitMessage, pending).split('\n')[0] : undefined;
    const end = summarize(repo, plan, LAYOUTS[answers.layout], answers.namespace, answers.monitoring, { result: summary, exitCode, ...(subject ? { commit: { hash: commit!, subject } } : {}) });
    report(req, plan, { result: summary, ...(commit ? { commit } : {}), summary: end });
    if (!req.options.json) {
      req.out(summary);
      for (const line of formatSummary(end)) req.out(line);
    }
    return { exitCode, plan, answers, commit };
  };
  if (plan.conflicted.length > 0) {
    req.err(`error: ${plan.conflicted.length} file(s) have conflicts; nothing was committed:`);
    for (const c of plan.conflicted) req.err(`  ${c.path}  (${c.note})`);
    req.err("resolve the <<<<<<< markers and rerun (it commits what is pending), or rerun with --force to take the generator's side of the conflicting hunks");
    return done(1, 'conflicts: written with markers, not committed');
  }
  if (!req.options.commit) {
    return done(0, plan.writes.length === 0 ? 'nothing changed; no commit' : '--no-commit: files written; staging and committing are left to you');
  }
  if (!inGit) {
    if (plan.writes.length === 0) return done(0, 'nothing changed; no commit');
    req.err(`warning: ${repo.root} is not inside a git work tree: files written, commit skipped`);
    return done(0, 'not a git work tree: files written, commit skipped');
  }
  if (commitSet.length === 0) {
    if (pending) clearPending(repo); // whatever was pending is committed or gone
    return done(0, 'nothing changed; no commit');
  }
  const message = commitMessageFor(plan.commitMessage, pending);
  const outcome = commitPaths(repo, commitSet, inspection!.states, message);
  if (!outcome.ok) {
    req.err(`error: ${outcome.error}`);
    req.err(`the written files are on disk, not committed; to finish: git add -- ${commitSet.join(' ')} && git commit, or fix the cause and rerun`);
    return done(1, 'commit failed: files written, not committed');
  }
  clearPending(repo);
  if (outcome.empty) return done(0, 'the files already match HEAD; no commit');
  return done(0, `committed ${outcome.hash}: ${message.split('\n')[0]}`, outcome.hash);
}

/**
 * Finishing work an earlier run left pending: keep that run's subject (a bump says so) when this one only updates,
 * and its whole message (with the crossed releases) when this run's summary is the same as that run's.
 */
function commitMessageFor(message: string, pending: Pending | undefined): string {
  const earlier = pending?.message;
  if (!earlier || !message.startsWith('chore(databases): update ')) return message;
  const summary = (m: string) => m.split('\n\n')[1];
  if (summary(earlier) === summary(message)) return earlier;
  return earlier.split('\n')[0] + message.slice(message.indexOf('\n'));
}
