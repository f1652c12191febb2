/**
 * Upgrade plans (issue 13): what a chart version change crosses. From chart/operator X to chart/operator Y, the
 * operator releases crossed in order (undone, newest first, for a downgrade) and every recorded hazard, the ones to
 * act on before merging first. Pure: no I/O; the doors print formatPlan()/planJson(), the bump commit carries
 * commitBodyLines(), and rolloutAdvice()/rolloutConfigData() pace a roll-out with the operator's own settings.
 */
import { type Hazard, type Release, type ReleaseTable, releaseTable } from './releases.js';
import { MAX_ROLLOUT_DELAY_SECONDS } from './rollout-delay.js';
import { CHART_TO_OPERATOR, EXACT_VERSION, compareVersions } from './versions.js';

// In their own module so the settings table (loaded by the bin before the core) does not pull in the release table.
export { MAX_ROLLOUT_DELAY_SECONDS, parseRolloutDelay } from './rollout-delay.js';

export type Direction = 'install' | 'upgrade' | 'downgrade' | 'same';

export interface VersionPoint {
  chart: string | null;
  /** null when the chart is not in the version table (or there is no chart: a first install). */
  operator: string | null;
}

export interface CrossedRelease {
  version: string;
  date: string;
  charts: string[];
  notes: string;
  kubernetes: string[] | null;
  /** Tags of this release's hazards that the plan keeps (sorted like the hazards, no repeats). */
  tags: string[];
}

export interface PlanHazard extends Hazard {
  /** The operator release it belongs to; null for the hazards of every operator version change. */
  release: string | null;
  /** rolls-clusters, rolls-clusters-even-inplace, min-kubernetes, rbac or removal (never for what a downgrade loses). */
  actBeforeMerge: boolean;
  /** A downgrade loses what this hazard's release brought (a CRD, RBAC rules, a security fix). */
  lost: boolean;
}

export interface UpgradePlan {
  direction: Direction;
  from: VersionPoint;
  to: VersionPoint;
  /** Upgrade: the releases after `from` up to `to`, oldest first. Downgrade: the releases undone, newest first. */
  crossed: CrossedRelease[];
  /** Sorted: act-before-merge tags first (in ACT_BEFORE_MERGE order), then TAG_ORDER, then by release. */
  hazards: PlanHazard[];
  /** True when a chart or operator version is not in the tables: the plan shows what is known. */
  incomplete: boolean;
  reason: string | null;
  /** Whether the plan assumed ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES "true" (drops the every-upgrade roll-out). */
  inPlaceUpdates: boolean;
}

export interface PlanOptions {
  /** The operator's config.data has ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES "true". */
  inPlaceUpdates?: boolean;
  /** Defaults to the table shipped with the package. */
  table?: ReleaseTable;
  /** Defaults to versions.ts. */
  chartToOperator?: Readonly<Record<string, string>>;
}

/** Tags that need action before a bump is merged, in the order they are shown. */
export const ACT_BEFORE_MERGE: readonly string[] = ['rolls-clusters', 'rolls-clusters-even-inplace', 'min-kubernetes', 'rbac', 'removal'];

/** The order of the other tags; tags not listed come after, alphabetically. */
export const TAG_ORDER: readonly string[] = [
  'upgrade-stall',
  'known-bug',
  'security',
  'monitoring-queries',
  'crd-change',
  'behavior-change',
  'deprecation',
  'metrics',
];

/** What a downgrade loses: hazards of undone releases with these tags are kept and marked lost. */
export const LOST_ON_DOWNGRADE: readonly string[] = ['crd-change', 'rbac', 'security'];

const ROLLS = new Set(['rolls-clusters', 'rolls-clusters-even-inplace']);

function tagRank(tag: string): number {
  const a = ACT_BEFORE_MERGE.indexOf(tag);
  if (a >= 0) return a;
  const o = TAG_ORDER.indexOf(tag);
  return o >= 0 ? ACT_BEFORE_MERGE.length + o : ACT_BEFORE_MERGE.length + TAG_ORDER.length;
}

function byTag(a: string, b: string): number {
  return tagRank(a) - tagRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Sorts hazards: act-before-merge tags first, then the other tags, then every-upgrade hazards before release ones, then by release. */
export function sortHazards<T extends { tag: string; release: string | null }>(hazards: readonly T[], descending = false): T[] {
  const everyUpgradeFirst = (h: T): number => (h.release === null ? 0 : 1);
  // Array.prototype.sort is stable (ES2019): hazards that compare equal keep the order they came in.
  return [...hazards].sort((x, y) => {
    const t = byTag(x.tag, y.tag);
    if (t !== 0) return t;
    if (x.release === null || y.release === null) return everyUpgradeFirst(x) - everyUpgradeFirst(y);
    const r = compareVersions(x.release, y.release);
    return descending ? -r : r;
  });
}

function operatorOf(map: Readonly<Record<string, string>>, chart: string): string | null {
  return Object.hasOwn(map, chart) ? map[chart] : null;
}

function asPlanHazard(h: Hazard, release: string | null, lost: boolean): PlanHazard {
  const out: PlanHazard = { tag: h.tag, text: h.text, source: h.source, release, actBeforeMerge: !lost && ACT_BEFORE_MERGE.includes(h.tag), lost };
  if (h.seeAlso) out.seeAlso = [...h.seeAlso];
  // Stryker disable next-line ConditionalExpression: equivalent: an own fixedIn: undefined reads as none to every reader (planJson's ?? null, JSON)
  if (h.fixedIn) out.fixedIn = h.fixedIn;
  if (h.charts) out.charts = [...h.charts];
  return out;
}

/**
 * The plan for moving the operator chart from `fromChart` (undefined: nothing installed yet) to `toChart`.
 * Versions must be exact X.Y.Z (a RangeError otherwise: the doors validate input first). A version missing from the
 * tables never throws: the plan says what is known and is marked incomplete.
 */
export function upgradePlan(fromChart: string | undefined, toChart: string, options: PlanOptions = {}): UpgradePlan {
  for (const [name, v] of [['from', fromChart], ['to', toChart]] as const) {
    if (v !== undefined && !EXACT_VERSION.test(v)) throw new RangeError(`${name} chart version must be X.Y.Z, got ${JSON.stringify(v)}`);
  }
  const table = options.table ?? releaseTable();
  const map = options.chartToOperator ?? CHART_TO_OPERATOR;
  const inPlaceUpdates = options.inPlaceUpdates === true;
  const releases = table.releases;
  // Stryker disable next-line ConditionalExpression: equivalent, operatorOf(map, undefined) is null too
  const fromOp = fromChart === undefined ? null : operatorOf(map, fromChart);
  const toOp = operatorOf(map, toChart);
  const from: VersionPoint = { chart: fromChart ?? null, operator: fromOp };
  const to: VersionPoint = { chart: toChart, operator: toOp };

  const direction: Direction =
    fromChart === undefined ? 'install' : compareVersions(toChart, fromChart) > 0 ? 'upgrade' : compareVersions(toChart, fromChart) < 0 ? 'downgrade' : 'same';
  const base = { direction, from, to, inPlaceUpdates };
  if (direction === 'same') return { ...base, crossed: [], hazards: [], incomplete: false, reason: null };

  const reasons: string[] = [];
  const newestChart = Object.keys(map).sort(compareVersions).pop();
  for (const [chart, op] of [[fromChart, fromOp], [toChart, toOp]] as const) {
    if (chart === undefined) continue;
    if (op === null) {
      const newer =
        newestChart !== undefined &&
        // Stryker disable next-line EqualityOperator: equivalent: the newest known chart is in the version table, so a chart missing from it never equals it
        compareVersions(chart, newestChart) > 0;
      reasons.push(`chart ${chart} is not in the built-in version table${newer ? ` (newest known: ${newestChart})` : ''}: its operator version and hazards are unknown`);
    } else if (!releases.some((r) => r.version === op)) {
      reasons.push(`operator ${op} (chart ${chart}) is not in the release table: its hazards are unknown`);
    }
  }

  const ships = (r: Release, lo: string | undefined, hi: string | undefined): boolean =>
    r.charts.some((c) => (lo === undefined || compareVersions(c, lo) > 0) && (hi === undefined || compareVersions(c, hi) <= 0));
  const between = (r: Release, lo: string | null, hi: string | null): boolean =>
    (lo === null || compareVersions(r.version, lo) > 0) && (hi === null || compareVersions(r.version, hi) <= 0);

  // The operator range [low, high]: by operator version where known, by the charts that ship a release otherwise.
  const [lowChart, highChart] = direction === 'downgrade' ? [toChart, fromChart] : [fromChart, toChart];
  const [lowOp, highOp] = direction === 'downgrade' ? [toOp, fromOp] : [fromOp, toOp];
  let range: Release[];
  if (direction === 'install') range = [];
  else {
    range = releases.filter((r) => {
      const lowOk = lowOp !== null ? between(r, lowOp, null) : ships(r, lowChart, undefined);
      const highOk = highOp !== null ? between(r, null, highOp) : ships(r, undefined, highChart);
      return lowOk && highOk;
    });
  }
  const ordered = direction === 'downgrade' ? [...range].reverse() : range;
  // An unknown operator version on either side counts as a change (fromOp !== toOp covers an unknown toOp).
  const operatorChanges = direction !== 'install' && (fromOp === null || fromOp !== toOp);

  const hazards: PlanHazard[] = [];
  if (operatorChanges) {
    for (const h of table.everyUpgrade) {
      if (inPlaceUpdates && h.tag === 'rolls-clusters') continue;
      hazards.push(asPlanHazard(h, null, false));
    }
  }
  const kept = new Map<string, string[]>();
  const keep = (r: Release, h: Hazard, lost: boolean): void => {
    hazards.push(asPlanHazard(h, r.version, lost));
    kept.set(r.version, [...(kept.get(r.version) ?? []), h.tag]);
  };
  const landsOn = (h: Hazard): boolean => h.charts === undefined || h.charts.includes(toChart);
  for (const r of ordered) {
    for (const h of r.hazards) {
      if (direction === 'downgrade') {
        if (
          LOST_ON_DOWNGRADE.includes(h.tag) &&
          (h.charts === undefined ||
            // Stryker disable next-line ConditionalExpression: equivalent: a downgrade always has a from chart (without one the direction is install); the check narrows its type
            (fromChart !== undefined &&
              h.charts.includes(fromChart)))
        )
          keep(r, h, true);
        continue;
      }
      if (!landsOn(h)) continue;
      if (h.fixedIn !== undefined && toOp !== null && compareVersions(toOp, h.fixedIn) >= 0) continue;
      keep(r, h, false);
    }
  }
  // Hazards of the target chart itself (its kubeVersion, its RBAC) when its release is not crossed: an install, a
  // chart bump that keeps the operator version, or a downgrade onto it.
  const target = releases.find((r) => r.version === toOp);
  if (target && !range.some((r) => r.version === target.version)) {
    for (const h of target.hazards) if (h.charts?.includes(toChart)) keep(target, h, false);
  }

  const crossed: CrossedRelease[] = ordered.map((r) => ({
    version: r.version,
    date: r.date,
    charts: [...r.charts],
    notes: r.notes,
    kubernetes: r.kubernetes ? [...r.kubernetes] : null,
    tags: [...new Set(kept.get(r.version) ?? [])].sort(byTag),
  }));
  return {
    ...base,
    crossed,
    hazards: sortHazards(hazards, direction === 'downgrade'),
    incomplete: reasons.length > 0,
    reason: reasons.length > 0 ? reasons.join('; ') : null,
  };
}

function point(p: VersionPoint): string {
  // Stryker disable next-line StringLiteral: equivalent: only an install plan's `to` is printed here, and upgradePlan always sets its chart
  const chart = p.chart ?? 'none';
  return `chart ${chart} (operator ${p.operator ?? 'unknown'})`;
}

/** Plain text lines for the doors to print; no lines at all for a rerun on the same version. */
export function formatPlan(plan: UpgradePlan): string[] {
  if (plan.direction === 'same') return [];
  const lines: string[] = [];
  if (plan.direction === 'install') lines.push(`Install plan: ${point(plan.to)}`);
  else {
    const title = plan.direction === 'upgrade' ? 'Upgrade plan' : 'Downgrade plan';
    lines.push(`${title}: chart ${plan.from.chart} -> ${plan.to.chart}, operator ${plan.from.operator ?? 'unknown'} -> ${plan.to.operator ?? 'unknown'}`);
    const list = plan.crossed.map((r) => `${r.version} (${r.date})`).join(', ');
    if (plan.crossed.length === 0) {
      lines.push(plan.from.operator !== null && plan.from.operator === plan.to.operator
        ? `No operator release crossed: the chart changes, the operator stays ${plan.to.operator}.`
        : 'No recorded operator release crossed.');
    } else if (plan.direction === 'upgrade') lines.push(`Operator releases crossed (${plan.crossed.length}): ${list}`);
    else lines.push(`Operator releases undone (${plan.crossed.length}, newest first): ${list}`);
  }
  const show = (h: PlanHazard): string[] => [
    `  [${h.tag}] ${h.release === null ? 'every operator version change' : h.release}: ${h.text}`,
    `      ${h.source}`,
  ];
  const act = plan.hazards.filter((h) => h.actBeforeMerge);
  const lost = plan.hazards.filter((h) => !h.actBeforeMerge && h.lost);
  const rest = plan.hazards.filter((h) => !h.actBeforeMerge && !h.lost);
  if (act.length > 0) lines.push('Act before merging:', ...act.flatMap(show));
  if (lost.length > 0) lines.push('Lost by this downgrade:', ...lost.flatMap(show));
  if (rest.length > 0) lines.push(act.length > 0 || lost.length > 0 ? 'Also:' : 'Hazards:', ...rest.flatMap(show));
  if (plan.hazards.length === 0) lines.push('No recorded hazards for this change.');
  if (plan.incomplete) lines.push(`Incomplete plan: ${plan.reason}.`);
  return lines;
}

/** The machine-readable plan (for --json): plain data, stable keys, nulls instead of missing values. */
export function planJson(plan: UpgradePlan): {
  schema: 1;
  direction: Direction;
  from: VersionPoint;
  to: VersionPoint;
  incomplete: boolean;
  reason: string | null;
  inPlaceUpdates: boolean;
  crossed: CrossedRelease[];
  hazards: Array<{
    release: string | null;
    tag: string;
    text: string;
    source: string;
    seeAlso: string[];
    fixedIn: string | null;
    actBeforeMerge: boolean;
    lost: boolean;
  }>;
  advice: string[];
} {
  return {
    schema: 1,
    direction: plan.direction,
    from: { ...plan.from },
    to: { ...plan.to },
    incomplete: plan.incomplete,
    reason: plan.reason,
    inPlaceUpdates: plan.inPlaceUpdates,
    crossed: plan.crossed.map((r) => ({ ...r, charts: [...r.charts], kubernetes: r.kubernetes ? [...r.kubernetes] : null, tags: [...r.tags] })),
    hazards: plan.hazards.map((h) => ({
      release: h.release,
      tag: h.tag,
      text: h.text,
      source: h.source,
      seeAlso: h.seeAlso ? [...h.seeAlso] : [],
      fixedIn: h.fixedIn ?? null,
      actBeforeMerge: h.actBeforeMerge,
      lost: h.lost,
    })),
    advice: rolloutAdvice(plan),
  };
}

/** One line per crossed (or undone) operator release with the tags of its kept hazards, for the bump commit's body. */
export function commitBodyLines(plan: UpgradePlan): string[] {
  const lines = plan.crossed.map((r) => {
    const what = plan.direction === 'downgrade' ? `undo operator ${r.version}` : `operator ${r.version}`;
    const none = plan.direction === 'downgrade' ? 'nothing recorded lost' : 'no recorded hazards';
    return `${what} (${r.date}): ${r.tags.length > 0 ? r.tags.join(', ') : none}`;
  });
  if (plan.incomplete) lines.push(`plan incomplete: ${plan.reason}`);
  return lines;
}

export interface RolloutSettings {
  /** CLUSTERS_ROLLOUT_DELAY now in config.data (seconds), when set. */
  clustersDelay?: number;
  /** INSTANCES_ROLLOUT_DELAY now in config.data (seconds), when set. */
  instancesDelay?: number;
}

/**
 * Issue point 6: when the plan rolls clusters, how to pace it with the operator's own settings (operator_conf.md:
 * CLUSTERS_ROLLOUT_DELAY, INSTANCES_ROLLOUT_DELAY, ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES). No lines otherwise.
 */
export function rolloutAdvice(plan: UpgradePlan, current: RolloutSettings = {}): string[] {
  const rolls = plan.hazards.filter((h) => ROLLS.has(h.tag));
  if (rolls.length === 0) return [];
  const now = (v: number | undefined): string => (v === undefined ? 'not set' : `now ${v}`);
  const lines = [
    'This change rolls PostgreSQL clusters. Pace it with the operator settings in the HelmRelease values config.data:',
    `  CLUSTERS_ROLLOUT_DELAY: seconds to wait between the roll-outs of different clusters during an operator upgrade (default 0: all at once; ${now(current.clustersDelay)}).`,
    `  INSTANCES_ROLLOUT_DELAY: seconds to wait between the roll-outs of the instances of one cluster (default 0; ${now(current.instancesDelay)}).`,
  ];
  if (!plan.inPlaceUpdates) {
    lines.push('  ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: "true" replaces the instance manager in place after an operator upgrade, without restarting PostgreSQL (default off).');
  }
  const even = [...new Set(rolls.filter((h) => h.tag === 'rolls-clusters-even-inplace').map((h) => h.release))];
  if (even.length > 0) lines.push(`  In-place updates do not avoid the roll-out of ${even.join(', ')}: use the delays.`);
  lines.push('  Values are strings ("60"). Set them in the bump commit or before it: the chart restarts the operator when config.data changes (checksum/config), and the new operator reads them when it starts.');
  return lines;
}

/** The chart's config.data entries (ConfigMap strings) for the given delays; keys left out stay as they are. */
export function rolloutConfigData(delays: { clustersDelay?: number; instancesDelay?: number; inPlaceUpdates?: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  const check = (name: string, v: number | undefined): void => {
    if (v === undefined) return;
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_ROLLOUT_DELAY_SECONDS) {
      throw new RangeError(`${name} must be a whole number of seconds from 0 to ${MAX_ROLLOUT_DELAY_SECONDS}, got ${v}`);
    }
  };
  check('clustersDelay', delays.clustersDelay);
  check('instancesDelay', delays.instancesDelay);
  if (delays.clustersDelay !== undefined) out.CLUSTERS_ROLLOUT_DELAY = String(delays.clustersDelay);
  if (delays.instancesDelay !== undefined) out.INSTANCES_ROLLOUT_DELAY = String(delays.instancesDelay);
  if (delays.inPlaceUpdates !== undefined) out.ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES = delays.inPlaceUpdates ? 'true' : 'false';
  return out;
}
