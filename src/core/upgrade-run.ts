/**
 * Issue 13, points 2-6 in a run: which chart moves a run makes (from the census and the resolution), the plan of
 * each (upgrade.ts), and the lines the run prints, puts in --json and in the bump commit's body. Pure: no I/O;
 * run.ts prints what these return through req.out.
 *
 * The "from" of a move is the version before this run. A target cluster's own CNPG_OPERATOR_VERSION is not
 * enough: after a Renovate bump of cluster-settings and 00-crds.yaml (not .yo-rc.json) the cluster already carries
 * the new version, and the move still to be reviewed is from the stored one. So per target cluster the from is
 * whichever of its own version and the stored version is farther from the target; clusters with the same from
 * share one plan (a fleet in a staged roll-out gets one plan per distinct from-version).
 */
import type { Resolution } from './answers.js';
import { type Census, clusterOf, ociTagOf } from './census.js';
import type { Answers, RunOptions } from './settings.js';
import { type UpgradePlan, commitBodyLines, formatPlan, planJson, rolloutAdvice, upgradePlan } from './upgrade.js';
import { CHART_TO_OPERATOR, compareVersions } from './versions.js';

/** One chart move of a run: the plan, and the target clusters (or, for --check, the files) that make it. */
export interface RunUpgrade {
  /** Cluster names; for --check, a file path where no cluster carries the version (00-crds.yaml). */
  where: string[];
  plan: UpgradePlan;
}

/** The newest chart in the built-in version table (the default of --plan's --to). */
export function newestChart(): string {
  return Object.keys(CHART_TO_OPERATOR).sort(compareVersions).at(-1)!;
}

function group(moves: Array<{ from: string; to: string; where: string }>, inPlaceUpdates: boolean): RunUpgrade[] {
  const out: RunUpgrade[] = [];
  for (const m of moves) {
    const same = out.find((u) => u.plan.from.chart === m.from && u.plan.to.chart === m.to);
    if (same) {
      if (!same.where.includes(m.where)) same.where.push(m.where);
    } else out.push({ where: [m.where], plan: upgradePlan(m.from, m.to, { inPlaceUpdates }) });
  }
  return out.filter((u) => u.plan.direction !== 'same');
}

/**
 * The chart moves this run makes, one per distinct from-version; empty when nothing changes version (a same-version
 * rerun, a first install). With `check`, the moves the repo made that the stored answers do not know yet: stored ->
 * a newer version found in a target cluster or the CRD helmfile (a Renovate bump), found -> stored for a cluster
 * still behind.
 */
export function runUpgrades(census: Census, resolution: Resolution, options: { check?: boolean }): RunUpgrade[] {
  const { answers } = resolution;
  const stored = census.stored?.values.chartVersion;
  const inPlace = answers.inplaceUpdates;
  const found = resolution.clusters
    .map((c) => ({ where: c.name, chart: clusterOf(census, c.name).version?.chart }))
    .filter((f): f is { where: string; chart: string } => f.chart !== undefined);

  if (options.check) {
    if (stored === undefined) return [];
    const crds = census.crds?.chart;
    const tag = ociTagOf(census, answers.namespace);
    const all = [
      ...found,
      ...(crds !== undefined ? [{ where: census.crdsHelmfile ?? 'the CRD helmfile', chart: crds }] : []),
      ...(tag?.chart !== undefined ? [{ where: tag.file, chart: tag.chart }] : []),
    ];
    const moves = all
      .filter((f) => f.chart !== stored)
      .map((f) => (compareVersions(f.chart, stored) > 0 ? { from: stored, to: f.chart, where: f.where } : { from: f.chart, to: stored, where: f.where }));
    return group(moves, inPlace);
  }

  const target = answers.chartVersion;
  const farthest = (candidates: string[]): string => {
    const sorted = [...new Set(candidates)].sort(compareVersions);
    return compareVersions(target, sorted.at(-1)!) >= 0 ? sorted[0] : sorted.at(-1)!;
  };
  let moves: Array<{ from: string; to: string; where: string }>;
  if (found.length > 0) {
    moves = found.map((f) => ({ from: farthest(stored === undefined ? [f.chart] : [f.chart, stored]), to: target, where: f.where }));
  } else {
    const before = stored ?? census.crds?.chart;
    // apps has no clusters: the move is the app's OCIRepository tag.
    const where = census.layout.clusterSettings ? answers.cluster : [ociTagOf(census, answers.namespace)?.file ?? 'ocirepository.yaml'];
    moves = before === undefined ? [] : where.map((name) => ({ from: before, to: target, where: name }));
  }
  return group(moves, inPlace);
}

/** The delays the run writes, as rolloutAdvice reads them. */
function delaysOf(answers: Answers): { clustersDelay?: number; instancesDelay?: number } {
  return {
    ...(answers.clustersRolloutDelay !== null ? { clustersDelay: answers.clustersRolloutDelay } : {}),
    ...(answers.instancesRolloutDelay !== null ? { instancesDelay: answers.instancesRolloutDelay } : {}),
  };
}

/** How to pace a roll-out (rolloutAdvice) and how this generator writes the delays; no lines when nothing rolls. */
export function adviceLines(plan: UpgradePlan, answers: Answers): string[] {
  const advice = rolloutAdvice(plan, delaysOf(answers));
  if (advice.length === 0) return [];
  return [
    ...advice,
    '  This generator writes them: --clusters-rollout-delay SECONDS and --instances-rollout-delay SECONDS (stored in .yo-rc.json; empty to unset),' +
      (plan.inPlaceUpdates ? '' : ' --inplace-updates true') +
      '.',
  ];
}

/** What a run prints about its chart moves (nothing for a same-version rerun). */
export function upgradeLines(upgrades: readonly RunUpgrade[], answers: Answers): string[] {
  const lines: string[] = [];
  for (const u of upgrades) {
    if (lines.length > 0) lines.push('');
    if (upgrades.length > 1) lines.push(`${u.where.join(', ')} (from chart ${u.plan.from.chart}):`);
    lines.push(...formatPlan(u.plan), ...adviceLines(u.plan, answers));
  }
  return lines;
}

/** The bump commit's body lines: one per crossed operator release with its hazard tags (per from-version when several). */
export function upgradeCommitLines(upgrades: readonly RunUpgrade[]): string[] {
  const lines = (plan: UpgradePlan): string[] => {
    // The hazards of any operator version change (the roll-out) belong to no crossed release: one line of their own.
    const every = [...new Set(plan.hazards.filter((h) => h.release === null).map((h) => h.tag))];
    return [...(every.length > 0 ? [`every operator version change: ${every.join(', ')}`] : []), ...commitBodyLines(plan)];
  };
  if (upgrades.length === 1) return lines(upgrades[0].plan);
  return upgrades.flatMap((u) => [`From chart ${u.plan.from.chart} (${u.where.join(', ')}) to ${u.plan.to.chart}:`, ...lines(u.plan).map((l) => `  ${l}`)]);
}

/** The moves for --json (`upgrade` beside the files and problems). */
export function upgradeJson(upgrades: readonly RunUpgrade[]): Array<ReturnType<typeof planJson> & { where: string[] }> {
  return upgrades.map((u) => ({ where: [...u.where], ...planJson(u.plan) }));
}

/**
 * `--plan [--from X] [--to Y]`: from --from, else the repo's current version (the highest in the target clusters,
 * else 00-crds.yaml, else .yo-rc.json; none: an install plan); to --to, else the newest chart in the table.
 */
export function planOnly(resolution: Resolution, options: Pick<RunOptions, 'planFrom' | 'planTo'>): UpgradePlan {
  const from = options.planFrom ?? resolution.previousVersion;
  const to = options.planTo ?? newestChart();
  return upgradePlan(from, to, { inPlaceUpdates: resolution.answers.inplaceUpdates });
}

/** The lines --plan prints: the plan (or that nothing is crossed) and the pacing advice. */
export function planOnlyLines(plan: UpgradePlan, answers: Answers): string[] {
  const lines = formatPlan(plan);
  if (plan.direction === 'same') lines.push(`Plan: chart ${plan.to.chart} (operator ${plan.to.operator ?? 'unknown'}) is already the version: nothing to cross.`);
  return [...lines, ...adviceLines(plan, answers)];
}
