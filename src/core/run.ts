/**
 * One run of the generator, shared by both doors: read the repo, resolve answers (flag > prompt > stored/repo >
 * default), plan, then write / preview / check, and commit exactly the touched paths.
 * The doors only parse their flags and, when interactive, ask the questions through `ask`.
 */
import {
  type Answers,
  DEFAULT_ANSWERS,
  InputError,
  type RunOptions,
  SETTINGS,
  type SettingKey,
  type Source,
  parseSetting,
  settingOf,
} from './settings.js';
import { EXACT_VERSION, chartsShipping, compareVersions, operatorVersionOf } from './versions.js';
import {
  CLUSTER_VARS,
  CRDS_HELMFILE,
  DATABASES_KUSTOMIZATION,
  GENERATED_PATHS,
  OPERATOR_DIR,
  PACKAGE_NAME,
  type Plan,
  YO_RC,
  clusterSettingsPath,
  clusterValue,
  makePlan,
  parseYoRc,
  renderGenerated,
} from './plan.js';
import { type Repo, git, gitBlocker, lastGeneratedFiles, listClusters, openRepo, readRepoFile } from './repo.js';
import { parse as parseYaml } from 'yaml';
import { FileError, readClusterSettings, readCrdsHelmfileVersion } from './yaml-patch.js';
import { applyWrites, withRepoLock } from './apply.js';
import { commitPaths } from './git-commit.js';
import { type PendingEntry, type Pending, clearPending, commitRefusal, contentHash, inspectPaths, isDirty, isPendingOurs, readPending, recordPending, uncommittedPaths } from './git-guard.js';

export type Flags = Partial<Record<SettingKey, unknown>>;

export interface Question {
  key: SettingKey;
  message: string;
  default: string;
  choices?: readonly string[];
  /** Returns an error text, or true when valid. */
  validate(input: string): true | string;
}

export interface RunRequest {
  cwd: string;
  generatorVersion: string;
  flags: Flags;
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

interface VersionSeen {
  file: string;
  chart: string;
}

const VERSION_KEY = CLUSTER_VARS.chartVersion;

class RunFailure extends Error {}

/** The repo's files the plan may touch, read once. */
function snapshot(repo: Repo, clusters: string[]): Map<string, string | undefined> {
  const paths = [YO_RC, CRDS_HELMFILE, DATABASES_KUSTOMIZATION, ...GENERATED_PATHS, ...clusters.map(clusterSettingsPath)];
  return new Map(paths.map((p) => [p, readRepoFile(repo, p)]));
}

function loadStored(text: string | undefined): { values: Partial<Answers>; generatorVersion?: string } | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const section = parseYoRc(text)[PACKAGE_NAME];
  if (section === undefined) return undefined;
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    throw new FileError(YO_RC, `"${PACKAGE_NAME}" must be a JSON object`);
  }
  const values: Partial<Answers> = {};
  const raw = section as Record<string, unknown>;
  for (const s of SETTINGS) {
    if (!(s.key in raw)) continue;
    try {
      (values as Record<string, unknown>)[s.key] = parseSetting(s.key, raw[s.key], `${YO_RC}: "${PACKAGE_NAME}.${s.key}"`);
    } catch (e) {
      if (e instanceof InputError) throw new FileError(YO_RC, e.message.slice(YO_RC.length + 2));
      throw e;
    }
  }
  return { values, generatorVersion: typeof raw.generatorVersion === 'string' ? raw.generatorVersion : undefined };
}

/** Read a version found in the repo; an operator version is corrected to the chart that ships it. */
function normaliseRepoVersion(file: string, raw: string, warnings: string[]): string | undefined {
  if (EXACT_VERSION.test(raw)) {
    const charts = chartsShipping(raw);
    if (charts.length === 0) return raw;
    warnings.push(`${file}: ${raw} is an operator version, not a chart version; corrected to chart ${charts[0]}`);
    return charts[0];
  }
  warnings.push(`${file}: version ${JSON.stringify(raw)} is not an exact chart version; it will be replaced`);
  return undefined;
}

function maxVersion(versions: string[]): string | undefined {
  return versions.reduce<string | undefined>((m, v) => (m === undefined || compareVersions(v, m) > 0 ? v : m), undefined);
}

/** Names of Flux Kustomizations in the repo's tracked files (only run when --depends-on names some). */
function fluxKustomizationNames(repo: Repo): Set<string> | undefined {
  if (!repo.gitDir) return undefined;
  const r = git(repo.root, ['grep', '-l', '-I', '-F', 'kustomize.toolkit.fluxcd.io', '--', '*.yaml', '*.yml']);
  if (r.status > 1) return undefined;
  const names = new Set<string>();
  for (const file of r.stdout.split('\n').filter(Boolean)) {
    let text: string | undefined;
    try {
      text = readRepoFile(repo, file);
    } catch {
      continue;
    }
    // Light scan: a Flux Kustomization's metadata.name (documents are small; no full YAML parse needed).
    for (const doc of (text ?? '').split(/^---\s*$/m)) {
      if (!/^apiVersion:\s*["']?kustomize\.toolkit\.fluxcd\.io\//m.test(doc) || !/^kind:\s*["']?Kustomization\b/m.test(doc)) continue;
      const m = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*["']?([A-Za-z0-9.-]+)/m.exec(doc);
      if (m) names.add(m[1]);
    }
  }
  return names;
}

/** Both phases at once (the bin). */
export async function run(req: RunRequest): Promise<RunResult> {
  return guard(req, async () => execute(req, await prepare(req)));
}

/** Map the errors a user should see to one line and an exit code. */
export async function guard(req: RunRequest, fn: () => Promise<RunResult>): Promise<RunResult> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof InputError) {
      req.err(`error: ${e.message}`);
      return { exitCode: 2 };
    }
    if (e instanceof FileError) {
      req.err(`error: ${e.message}`); // "file:line: problem"
      return { exitCode: 2 };
    }
    if (e instanceof RunFailure) {
      req.err(`error: ${e.message}`);
      return { exitCode: 1 };
    }
    req.err(`error: ${(e as Error).message}`);
    return { exitCode: 1 };
  }
}

export interface Prepared {
  repo: Repo;
  plan: Plan;
  answers: Answers;
  clusters: string[];
  files: ReadonlyMap<string, string | undefined>;
  settingsOf(cluster: string): Record<string, string>;
}

/** Phase 1: read the repo, resolve (and ask for) the answers, plan. Writes nothing. */
export async function prepare(req: RunRequest): Promise<Prepared> {
  const { options } = req;
  const warnings: string[] = [];
  // 1. Flags first: a bad value is refused before anything is read or written.
  const flagValues: Partial<Answers> = {};
  for (const [key, raw] of Object.entries(req.flags) as [SettingKey, unknown][]) {
    if (raw === undefined) continue;
    (flagValues as Record<string, unknown>)[key] = parseSetting(key, raw);
  }
  if (options.allClusters && flagValues.cluster) throw new InputError('--all-clusters and --cluster cannot be combined');

  const repo = openRepo(req.cwd);
  const clusters = listClusters(repo);
  const files = snapshot(repo, clusters);
  const stored = loadStored(files.get(YO_RC));

  // 2. Which clusters.
  const clusterSettings = new Map<string, Record<string, string>>();
  const settingsOf = (cluster: string): Record<string, string> => {
    let data = clusterSettings.get(cluster);
    if (!data) {
      const text = files.get(clusterSettingsPath(cluster));
      data = text === undefined ? {} : readClusterSettings(text, clusterSettingsPath(cluster));
      clusterSettings.set(cluster, data);
    }
    return data;
  };
  const carriers: string[] = [];
  for (const c of clusters) {
    try {
      if (VERSION_KEY in settingsOf(c)) carriers.push(c);
    } catch (e) {
      if (!(e instanceof FileError)) throw e;
      warnings.push(`${e.message} (skipped in the version census)`);
    }
  }
  if (options.allClusters) {
    if (carriers.length === 0) {
      throw new InputError('--all-clusters: no kubernetes/clusters/*/cluster-settings.yaml carries CNPG_OPERATOR_VERSION yet; name the clusters with --cluster');
    }
    flagValues.cluster = carriers;
  }

  // 3. Suggested values and where they come from (flag > stored > default; chart version also from the repo).
  const values: Record<string, unknown> = {};
  const sources: Partial<Record<SettingKey, Source>> = {};
  for (const s of SETTINGS) {
    if (s.key in flagValues) [values[s.key], sources[s.key]] = [flagValues[s.key], 'flag'];
    else if (stored && s.key in stored.values) [values[s.key], sources[s.key]] = [stored.values[s.key], 'stored'];
    else [values[s.key], sources[s.key]] = [DEFAULT_ANSWERS[s.key], 'default'];
  }
  // 4. Prompts (interactive door only), prefilled from the values above; the clusters first, because the
  //    other suggestions come from the chosen clusters' settings.
  const promptFor = async (keys: SettingKey[]): Promise<void> => {
    if (!req.ask || options.check) return;
    const questions = SETTINGS.filter((s) => s.message && keys.includes(s.key) && sources[s.key] !== 'flag').map<Question>((s) => ({
      key: s.key,
      message: s.message!,
      default: s.show(values[s.key] as never),
      choices: s.choices,
      validate: (input: string) => {
        try {
          parseSetting(s.key, input);
          return true;
        } catch (e) {
          return (e as Error).message;
        }
      },
    }));
    if (questions.length === 0) return;
    const answered = await req.ask(questions);
    for (const [key, raw] of Object.entries(answered) as [SettingKey, string][]) {
      if (raw === undefined) continue;
      const parsed = parseSetting(key, raw);
      if (JSON.stringify(parsed) !== JSON.stringify(values[key])) sources[key] = 'prompt';
      values[key] = parsed;
    }
  };
  await promptFor(['cluster']);

  // Files for clusters named by flags/stored answers that are not in the census yet.
  for (const c of values.cluster as string[]) {
    const p = clusterSettingsPath(c);
    if (!files.has(p)) files.set(p, readRepoFile(repo, p));
  }

  const seen: VersionSeen[] = [];
  for (const c of values.cluster as string[]) {
    const p = clusterSettingsPath(c);
    if (files.get(p) === undefined) continue;
    const raw = settingsOf(c)[VERSION_KEY];
    const chart = raw === undefined ? undefined : normaliseRepoVersion(p, raw, warnings);
    if (chart) seen.push({ file: p, chart });
  }
  const crdsText = files.get(CRDS_HELMFILE);
  const crdsRaw = crdsText === undefined ? undefined : readCrdsHelmfileVersion(crdsText, CRDS_HELMFILE);
  const crdsChart = crdsRaw === undefined ? undefined : normaliseRepoVersion(CRDS_HELMFILE, crdsRaw, warnings);
  if (crdsChart) seen.push({ file: CRDS_HELMFILE, chart: crdsChart });

  // Replicas and storage class a target cluster already carries are suggested instead of the defaults.
  const firstSettings = (values.cluster as string[]).find((c) => files.get(clusterSettingsPath(c)) !== undefined);
  for (const setting of ['replicas', 'storageClass'] as const) {
    const key = CLUSTER_VARS[setting];
    const have = firstSettings === undefined ? undefined : settingsOf(firstSettings)[key];
    if (sources[setting] !== 'default' || have === undefined) continue;
    const parsed = clusterValue(setting, have);
    if (parsed === undefined) {
      warnings.push(`${clusterSettingsPath(firstSettings!)}: ${key} ${JSON.stringify(have)} is not valid (${settingOf(setting).valid}); it will be replaced`);
    } else {
      values[setting] = parsed;
      sources[setting] = 'repo';
    }
  }

  const repoMax = maxVersion(seen.map((v) => v.chart));
  const previousVersion = maxVersion(seen.filter((v) => v.file !== CRDS_HELMFILE).map((v) => v.chart)) ?? crdsChart ?? stored?.values.chartVersion;
  if (!options.check && sources.chartVersion !== 'flag' && repoMax) {
    const current = values.chartVersion as string;
    if (sources.chartVersion === 'default' || compareVersions(repoMax, current) > 0) {
      values.chartVersion = repoMax;
      sources.chartVersion = 'repo';
    }
  }

  await promptFor(SETTINGS.map((s) => s.key).filter((k) => k !== 'cluster'));
  const answers = values as unknown as Answers;

  // 5. Downgrades are explicit.
  const floor = maxVersion([...(repoMax ? [repoMax] : []), ...(stored?.values.chartVersion ? [stored.values.chartVersion] : [])]);
  if (!options.check && floor && compareVersions(answers.chartVersion, floor) < 0) {
    const from = `${floor} (operator ${operatorVersionOf(floor) ?? 'unknown'})`;
    const to = `${answers.chartVersion} (operator ${operatorVersionOf(answers.chartVersion) ?? 'unknown'})`;
    if (!options.allowDowngrade) {
      throw new InputError(`--chart-version ${answers.chartVersion} is older than ${floor} in the repo: a downgrade from ${from} to ${to}; pass --allow-downgrade to do it`);
    }
    warnings.push(`downgrading chart ${from} -> ${to}`);
  }
  for (const s of SETTINGS) warnings.push(...(s.warn?.(answers[s.key] as never) ?? []));
  if (answers.dependsOn.length > 0) {
    const known = fluxKustomizationNames(repo);
    if (known) {
      for (const name of answers.dependsOn) {
        if (!known.has(name)) warnings.push(`--depends-on ${name}: no Flux Kustomization in this repo is named ${name}`);
      }
    }
  }

  // 6. Bases for the 3-way merge: the stored answers rendered by this same generator version are exact;
  //    after an upgrade of the generator, the files of its last commit are.
  const hadGenerated = GENERATED_PATHS.some((p) => files.get(p) !== undefined);
  let bases = new Map<string, string>();
  if (stored && stored.generatorVersion === req.generatorVersion && hasAll(stored.values)) {
    bases = renderGenerated(stored.values as Answers);
  } else if (hadGenerated || stored) {
    bases = lastGeneratedFiles(repo, OPERATOR_DIR, GENERATED_PATHS);
    if (bases.size === 0 && stored && hasAll(stored.values)) bases = renderGenerated(stored.values as Answers);
  }

  const plan = makePlan({
    answers,
    generatorVersion: req.generatorVersion,
    files,
    bases,
    previousVersion,
    existing: stored !== undefined || hadGenerated,
    force: options.force,
    explicit: new Set(SETTINGS.filter((s) => sources[s.key] === 'flag' || sources[s.key] === 'prompt').map((s) => s.key)),
  });
  plan.warnings.unshift(...warnings);

  if (!options.json && !options.check) {
    for (const s of SETTINGS) req.out(`${s.key.padEnd(13)}= ${s.show(answers[s.key] as never) || '(none)'}  (${sources[s.key]})`);
  }
  for (const w of plan.warnings) req.err(`warning: ${w}`);

  return { repo, plan, answers, clusters, files, settingsOf };
}

/** Phase 2: check, preview, or write and commit. */
export async function execute(req: RunRequest, p: Prepared): Promise<RunResult> {
  if (req.options.check) return check(req, p);
  if (req.options.dryRun) return dryRun(req, p);
  return withRepoLock(p.repo, () => write(req, p.repo, p.plan, p.answers));
}

function hasAll(values: Partial<Answers>): boolean {
  return SETTINGS.every((s) => s.key in values);
}

function report(req: RunRequest, plan: Plan, extra: Record<string, unknown>): void {
  if (req.options.json) {
    req.out(
      JSON.stringify(
        { ...extra, files: plan.changes.map((c) => ({ path: c.path, status: c.status, ...(c.note ? { note: c.note } : {}) })), warnings: plan.warnings },
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
  if (req.options.commit && repo.gitDir && plan.writes.length > 0) {
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

function check(req: RunRequest, { repo, plan, answers, clusters, files, settingsOf }: Prepared): RunResult {
  const problems: string[] = [];
  // Every place that carries the chart version must agree with the stored answers.
  const crds = files.get(CRDS_HELMFILE);
  const crdsVersion = crds === undefined ? undefined : readCrdsHelmfileVersion(crds, CRDS_HELMFILE);
  if (crdsVersion !== undefined && crdsVersion !== answers.chartVersion) {
    problems.push(`${CRDS_HELMFILE}: the cloudnative-pg release is at ${crdsVersion}, expected ${answers.chartVersion}`);
  }
  const ociPath = `${OPERATOR_DIR}/ocirepository.yaml`;
  const oci = files.get(ociPath);
  if (oci !== undefined) {
    let tag: unknown;
    try {
      tag = (parseYaml(oci) as { spec?: { ref?: { tag?: unknown } } })?.spec?.ref?.tag;
    } catch {
      tag = undefined;
    }
    if (tag !== '${CNPG_OPERATOR_VERSION}' && tag !== answers.chartVersion) {
      problems.push(`${ociPath}: spec.ref.tag is ${JSON.stringify(tag)}, expected "\${CNPG_OPERATOR_VERSION}" (or ${answers.chartVersion})`);
    }
  }
  for (const c of plan.changes) {
    if (c.path === YO_RC || c.status === 'unchanged') continue;
    problems.push(`${c.path}: ${c.status === 'created' ? 'missing' : c.status === 'deleted-by-user' ? 'deleted' : 'differs from what the stored answers generate'}`);
  }
  for (const c of clusters) {
    let v: string | undefined;
    try {
      v = settingsOf(c)[VERSION_KEY];
    } catch {
      continue;
    }
    if (v !== undefined && v !== answers.chartVersion) {
      problems.push(`${clusterSettingsPath(c)}: cluster ${c} is on chart ${v}, expected ${answers.chartVersion}`);
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
    report(req, plan, { result: summary, ...(commit ? { commit } : {}) });
    if (!req.options.json) req.out(summary);
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

/** Finishing work an earlier run left pending: keep that run's subject (a bump says so) when this one only updates. */
function commitMessageFor(message: string, pending: Pending | undefined): string {
  const subject = pending?.message?.split('\n')[0];
  if (!subject || !message.startsWith('chore(databases): update ')) return message;
  return subject + message.slice(message.indexOf('\n'));
}
