/** Issue 13: the release table and the upgrade plans built from it (in process, no spawning). */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { type ReleaseTable, releaseTable, releaseTableProblems, validateReleaseTable } from '../src/core/releases.js';
import {
  ACT_BEFORE_MERGE,
  commitBodyLines,
  formatPlan,
  parseRolloutDelay,
  planJson,
  rolloutAdvice,
  rolloutConfigData,
  sortHazards,
  upgradePlan,
} from '../src/core/upgrade.js';
import { CHART_TO_OPERATOR, chartsShipping, compareVersions } from '../src/core/versions.js';
import { REPO_ROOT, UPSTREAM_DIR } from './helpers/upstream.js';

const DATA_FILE = path.join(REPO_ROOT, 'data/operator-releases.json');
const fileText = readFileSync(DATA_FILE, 'utf8');
const table = releaseTable();

function clone(): ReleaseTable {
  return JSON.parse(fileText) as ReleaseTable;
}

describe('the release table (data/operator-releases.json)', () => {
  test('parses as JSON, validates, and is the table the code uses', () => {
    const parsed = JSON.parse(fileText);
    expect(releaseTableProblems(parsed)).toEqual([]);
    expect(validateReleaseTable(parsed)).toEqual(table);
  });

  test('its header says only sourced facts go in, and documents every tag used', () => {
    expect(table.about.join(' ')).toMatch(/Only what a source says goes in/);
    for (const tag of ['rolls-clusters', 'rolls-clusters-even-inplace', 'min-kubernetes', 'rbac', 'crd-change', 'deprecation', 'removal', 'security', 'monitoring-queries']) {
      expect(Object.keys(table.tags)).toContain(tag);
    }
    const used = new Set([...table.everyUpgrade, ...table.releases.flatMap((r) => r.hazards)].map((h) => h.tag));
    for (const tag of used) expect(table.tags[tag]).toMatch(/\S/);
  });

  test('every chart in the version table maps to a release in the release table that lists it', () => {
    for (const [chart, operator] of Object.entries(CHART_TO_OPERATOR)) {
      const release = table.releases.find((r) => r.version === operator);
      expect({ chart, release: release?.version }).toEqual({ chart, release: operator });
      expect(release!.charts).toContain(chart);
    }
    // ...and the other way round: a release lists exactly the charts that ship it.
    for (const r of table.releases) expect([...r.charts].sort(compareVersions)).toEqual(chartsShipping(r.version).sort(compareVersions));
  });

  test('it covers every operator release a chart ships from 1.24.0 to the newest', () => {
    const shipped = [...new Set(Object.values(CHART_TO_OPERATOR))].sort(compareVersions);
    expect(table.releases.map((r) => r.version)).toEqual(shipped);
    expect(shipped[0]).toBe('1.24.0');
  });

  test('every hazard has a documented tag, one line of text and an https source; dates are ISO; versions ascend', () => {
    for (const r of table.releases) {
      expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(`${r.date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(r.date);
      for (const h of r.hazards) {
        expect(Object.keys(table.tags)).toContain(h.tag);
        expect(h.text).not.toMatch(/\n/);
        expect(new URL(h.source).protocol).toBe('https:');
      }
    }
    const versions = table.releases.map((r) => r.version);
    expect([...versions].sort(compareVersions)).toEqual(versions);
    const dates = table.releases.map((r) => r.date);
    expect([...dates].sort()).toEqual(dates);
  });

  test('the validator names what is wrong: unknown tag, two-line text, http source, bad date, versions out of order', () => {
    const t = clone();
    t.releases[1].hazards.push({ tag: 'scary', text: 'x', source: 'https://example.org/a' });
    t.releases[2].hazards.push({ tag: 'security', text: 'two\nlines', source: 'http://example.org/b' });
    t.releases[3].date = '2025-02-30';
    [t.releases[4], t.releases[5]] = [t.releases[5], t.releases[4]];
    const problems = releaseTableProblems(t);
    expect(problems).toEqual(expect.arrayContaining([
      'release 1.24.1 hazards[0]: tag "scary" is not in tags',
      'release 1.25.0 hazards[3]: text must be one non-empty line of at most 240 characters',
      'release 1.25.0 hazards[3]: source must be an https URL',
      'release 1.25.1: date must be an ISO date (YYYY-MM-DD)',
      'releases[5]: 1.26.0 does not come after 1.26.1',
    ]));
    expect(() => validateReleaseTable(t)).toThrow(/invalid operator release table/);
    expect(releaseTableProblems({ schema: 1 })).toContain('about must be a non-empty list of lines');
  });

  test('agrees with the vendored chart files: 0.29.0 kubeVersion and appVersion, the DatabaseRole CRD, the new RBAC', () => {
    const chart = parse(readFileSync(path.join(UPSTREAM_DIR, 'cloudnative-pg-chart-0.29.0/Chart.yaml'), 'utf8'));
    const r130 = table.releases.find((r) => r.version === chart.appVersion)!;
    expect(r130.charts).toContain(chart.version);
    const kube = r130.hazards.find((h) => h.tag === 'min-kubernetes' && h.charts?.includes('0.29.0'))!;
    expect(kube.text).toContain(`kubeVersion ${chart.kubeVersion}`);
    const crds = (v: string): string[] => readFileSync(path.join(UPSTREAM_DIR, `cloudnative-pg-chart-${v}/crd-names.txt`), 'utf8').split('\n').filter(Boolean);
    const added = crds('0.29.0').filter((n) => !crds('0.26.0').includes(n));
    expect(added).toEqual(['databaseroles.postgresql.cnpg.io']);
    expect(r130.hazards.some((h) => h.tag === 'crd-change' && h.text.includes(added[0]))).toBe(true);
    const rbac = readFileSync(path.join(UPSTREAM_DIR, 'cloudnative-pg-chart-0.29.0/templates/rbac.yaml'), 'utf8');
    expect(rbac).toContain('  - databaseroles\n');
    expect(readFileSync(path.join(UPSTREAM_DIR, 'cloudnative-pg-chart-0.26.0/templates/rbac.yaml'), 'utf8')).not.toContain('databaseroles');
    expect(r130.hazards.some((h) => h.tag === 'rbac' && h.text.includes('databaseroles'))).toBe(true);
  });
});

describe('upgradePlan', () => {
  test('one patch: 0.26.0 -> 0.26.1 crosses 1.27.1 only, with the upgrade stall of #10348', () => {
    const plan = upgradePlan('0.26.0', '0.26.1');
    expect(plan.direction).toBe('upgrade');
    expect(plan.from).toEqual({ chart: '0.26.0', operator: '1.27.0' });
    expect(plan.to).toEqual({ chart: '0.26.1', operator: '1.27.1' });
    expect(plan.crossed.map((r) => r.version)).toEqual(['1.27.1']);
    expect(plan.incomplete).toBe(false);
    expect(plan.hazards[0]).toMatchObject({ tag: 'rolls-clusters', release: null, actBeforeMerge: true });
    expect(plan.hazards.map((h) => h.tag)).toContain('upgrade-stall');
    expect(plan.hazards.find((h) => h.tag === 'upgrade-stall')!.source).toBe('https://github.com/cloudnative-pg/cloudnative-pg/issues/10348');
  });

  test('one minor: 0.27.1 -> 0.28.0 crosses 1.29.0; the 1.27.1 stall applies only to targets before its fix (1.28.2)', () => {
    expect(upgradePlan('0.26.0', '0.27.1').hazards.map((h) => h.tag)).toContain('upgrade-stall');
    expect(upgradePlan('0.26.0', '0.28.0').hazards.map((h) => h.tag)).not.toContain('upgrade-stall');
    const plan = upgradePlan('0.27.1', '0.28.0');
    expect(plan.crossed.map((r) => r.version)).toEqual(['1.29.0']);
    expect(plan.hazards.map((h) => `${h.tag}@${h.release}`)).toEqual([
      'rolls-clusters@null',
      'min-kubernetes@1.29.0',
      'security@1.29.0',
      'deprecation@1.29.0',
    ]);
  });

  test('several minors: 0.26.1 -> 0.29.0 crosses five releases in order, with every issue example the sources back', () => {
    const plan = upgradePlan('0.26.1', '0.29.0');
    expect(plan.crossed.map((r) => `${r.version} ${r.date}`)).toEqual([
      '1.28.0 2025-12-09',
      '1.28.1 2026-02-05',
      '1.29.0 2026-03-31',
      '1.29.1 2026-05-08',
      '1.30.0 2026-06-29',
    ]);
    const texts = plan.hazards.map((h) => `${h.tag} ${h.text}`);
    expect(texts).toEqual(expect.arrayContaining([
      expect.stringMatching(/^min-kubernetes Chart 0\.29\.0 declares kubeVersion >=1\.29\.0-0/),
      expect.stringMatching(/^rbac Chart 0\.29\.0/),
      expect.stringMatching(/^monitoring-queries .*cnpg_metrics_exporter/),
      expect.stringMatching(/^security CVE-2026-44477/),
      expect.stringMatching(/^deprecation .*Barman Cloud.*1\.31\.0/),
    ]));
    // The 1.28.0 Pooler bug is fixed in 1.28.1, which this plan reaches.
    expect(plan.hazards.map((h) => h.tag)).not.toContain('known-bug');
    expect(upgradePlan('0.26.1', '0.27.0').hazards.map((h) => h.tag)).toContain('known-bug');
  });

  test('hazards come sorted: act-before-merge tags first, in their order, then the rest, then by release', () => {
    const plan = upgradePlan('0.22.0', '0.29.0');
    const act = plan.hazards.filter((h) => h.actBeforeMerge);
    const firstOther = plan.hazards.findIndex((h) => !h.actBeforeMerge);
    expect(plan.hazards.slice(0, firstOther)).toEqual(act);
    expect(act.every((h) => ACT_BEFORE_MERGE.includes(h.tag))).toBe(true);
    const ranks = act.map((h) => ACT_BEFORE_MERGE.indexOf(h.tag));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(act.map((h) => h.tag))).toEqual(new Set(['rolls-clusters', 'rolls-clusters-even-inplace', 'min-kubernetes', 'rbac', 'removal']));
    const kube = plan.hazards.filter((h) => h.tag === 'min-kubernetes').map((h) => h.release!);
    expect([...kube].sort(compareVersions)).toEqual(kube);
    expect(sortHazards([
      { tag: 'deprecation', release: '1.25.0' },
      { tag: 'removal', release: '1.26.0' },
      { tag: 'removal', release: '1.25.0' },
      { tag: 'rolls-clusters', release: '1.26.0' },
      { tag: 'rolls-clusters', release: null },
    ])).toEqual([
      { tag: 'rolls-clusters', release: null },
      { tag: 'rolls-clusters', release: '1.26.0' },
      { tag: 'removal', release: '1.25.0' },
      { tag: 'removal', release: '1.26.0' },
      { tag: 'deprecation', release: '1.25.0' },
    ]);
  });

  test('in-place updates on: the every-upgrade roll-out goes, the ones that roll even in place stay', () => {
    const plan = upgradePlan('0.23.2', '0.24.0', { inPlaceUpdates: true });
    expect(plan.hazards.filter((h) => h.tag === 'rolls-clusters')).toEqual([]);
    expect(plan.hazards[0]).toMatchObject({ tag: 'rolls-clusters-even-inplace', release: '1.26.0', source: 'https://github.com/cloudnative-pg/cloudnative-pg/issues/7727' });
    expect(upgradePlan('0.27.0', '0.27.1', { inPlaceUpdates: true }).hazards.some((h) => h.tag.startsWith('rolls-'))).toBe(false);
  });

  test('a downgrade lists the releases undone, newest first, and what it loses (the DatabaseRole CRD, security fixes)', () => {
    const plan = upgradePlan('0.29.0', '0.28.3');
    expect(plan.direction).toBe('downgrade');
    expect(plan.crossed.map((r) => r.version)).toEqual(['1.30.0']);
    expect(plan.hazards.filter((h) => h.lost).map((h) => h.tag)).toEqual(['rbac', 'security', 'crd-change', 'crd-change']);
    expect(plan.hazards.every((h) => !(h.lost && h.actBeforeMerge))).toBe(true);
    const lines = formatPlan(plan);
    expect(lines[0]).toBe('Downgrade plan: chart 0.29.0 -> 0.28.3, operator 1.30.0 -> 1.29.1');
    expect(lines[1]).toBe('Operator releases undone (1, newest first): 1.30.0 (2026-06-29)');
    const lost = lines.indexOf('Lost by this downgrade:');
    expect(lost).toBeGreaterThan(0);
    expect(lines.slice(lost).join('\n')).toContain('DatabaseRole (databaseroles.postgresql.cnpg.io)');
    const wide = upgradePlan('0.29.0', '0.25.0');
    expect(wide.crossed.map((r) => r.version)).toEqual(['1.30.0', '1.29.1', '1.29.0', '1.28.1', '1.28.0', '1.27.1', '1.27.0']);
  });

  test('an unknown target still gets a plan, marked incomplete, with what is known', () => {
    const plan = upgradePlan('0.28.3', '0.30.0');
    expect(plan.direction).toBe('upgrade');
    expect(plan.to).toEqual({ chart: '0.30.0', operator: null });
    expect(plan.incomplete).toBe(true);
    expect(plan.reason).toBe('chart 0.30.0 is not in the built-in version table (newest known: 0.29.0): its operator version and hazards are unknown');
    expect(plan.crossed.map((r) => r.version)).toEqual(['1.30.0']);
    expect(formatPlan(plan).at(-1)).toBe(`Incomplete plan: ${plan.reason}.`);
    const unknownFrom = upgradePlan('0.21.0', '0.22.1');
    expect(unknownFrom.incomplete).toBe(true);
    expect(unknownFrom.crossed.map((r) => r.version)).toEqual(['1.24.0', '1.24.1']);
  });

  test('a chart in the version table whose operator is missing from the release table is incomplete, not an error', () => {
    const plan = upgradePlan('0.29.0', '0.30.0', { chartToOperator: { ...CHART_TO_OPERATOR, '0.30.0': '1.31.0' } });
    expect(plan.incomplete).toBe(true);
    expect(plan.reason).toBe('operator 1.31.0 (chart 0.30.0) is not in the release table: its hazards are unknown');
    expect(plan.crossed).toEqual([]);
    expect(plan.hazards.map((h) => h.tag)).toEqual(['rolls-clusters']);
  });

  test('same version: no plan lines; a chart bump that keeps the operator crosses nothing and rolls nothing', () => {
    const same = upgradePlan('0.29.0', '0.29.0');
    expect(same).toMatchObject({ direction: 'same', crossed: [], hazards: [], incomplete: false });
    expect(formatPlan(same)).toEqual([]);
    expect(commitBodyLines(same)).toEqual([]);
    const chartOnly = upgradePlan('0.28.1', '0.28.3');
    expect(chartOnly.crossed).toEqual([]);
    expect(chartOnly.hazards).toEqual([]);
    expect(formatPlan(chartOnly)).toEqual([
      'Upgrade plan: chart 0.28.1 -> 0.28.3, operator 1.29.1 -> 1.29.1',
      'No operator release crossed: the chart changes, the operator stays 1.29.1.',
      'No recorded hazards for this change.',
    ]);
  });

  test('a first install shows the target chart\'s own hazards (its kubeVersion) and crosses nothing', () => {
    const plan = upgradePlan(undefined, '0.29.0');
    expect(plan.direction).toBe('install');
    expect(plan.crossed).toEqual([]);
    expect(plan.hazards.map((h) => h.tag)).toEqual(['min-kubernetes', 'rbac']);
    expect(upgradePlan(undefined, '0.26.1').hazards).toEqual([]);
  });

  test('malformed versions are refused (the doors validate first)', () => {
    expect(() => upgradePlan('v0.26.0', '0.29.0')).toThrow('from chart version must be X.Y.Z, got "v0.26.0"');
    expect(() => upgradePlan('0.26.0', '0.29')).toThrow(RangeError);
  });
});

describe('output', () => {
  test('formatPlan: header, crossed releases, act-before-merge first, each hazard with its source', () => {
    const lines = formatPlan(upgradePlan('0.27.1', '0.28.0'));
    expect(lines).toEqual([
      'Upgrade plan: chart 0.27.1 -> 0.28.0, operator 1.28.1 -> 1.29.0',
      'Operator releases crossed (1): 1.29.0 (2026-03-31)',
      'Act before merging:',
      expect.stringMatching(/^ {2}\[rolls-clusters\] every operator version change: .*ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES/),
      '      https://github.com/cloudnative-pg/cloudnative-pg/blob/main/docs/src/installation_upgrade.md#in-place-updates-of-the-instance-manager',
      '  [min-kubernetes] 1.29.0: Supported Kubernetes versions: 1.35, 1.34 and 1.33 (1.32 dropped).',
      '      https://github.com/cloudnative-pg/cloudnative-pg/releases/tag/v1.29.0',
      'Also:',
      '  [security] 1.29.0: PostgreSQL could leak role passwords in the logs during some reconciliation phases (#9950).',
      '      https://github.com/cloudnative-pg/cloudnative-pg/releases/tag/v1.29.0',
      expect.stringMatching(/^ {2}\[deprecation\] 1\.29\.0: Removal of native in-tree Barman Cloud support moved to 1\.30\.0/),
      '      https://github.com/cloudnative-pg/cloudnative-pg/releases/tag/v1.29.0',
    ]);
  });

  test('planJson: stable machine-readable shape, JSON round-trips, nulls for unknowns', () => {
    const json = planJson(upgradePlan('0.28.3', '0.30.0'));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(Object.keys(json)).toEqual(['schema', 'direction', 'from', 'to', 'incomplete', 'reason', 'inPlaceUpdates', 'crossed', 'hazards', 'advice']);
    expect(json).toMatchObject({
      schema: 1,
      direction: 'upgrade',
      from: { chart: '0.28.3', operator: '1.29.1' },
      to: { chart: '0.30.0', operator: null },
      incomplete: true,
      inPlaceUpdates: false,
    });
    expect(json.crossed).toEqual([{
      version: '1.30.0',
      date: '2026-06-29',
      charts: ['0.29.0'],
      notes: 'https://github.com/cloudnative-pg/cloudnative-pg/releases/tag/v1.30.0',
      kubernetes: null,
      tags: ['security', 'crd-change', 'deprecation'],
    }]);
    for (const h of json.hazards) {
      expect(Object.keys(h)).toEqual(['release', 'tag', 'text', 'source', 'seeAlso', 'fixedIn', 'actBeforeMerge', 'lost']);
    }
    expect(json.hazards[0]).toMatchObject({ release: null, tag: 'rolls-clusters', actBeforeMerge: true, lost: false, fixedIn: null });
    expect(json.advice[0]).toMatch(/^This change rolls PostgreSQL clusters/);
    expect(planJson(upgradePlan('0.26.0', '0.26.1')).hazards.find((h) => h.tag === 'upgrade-stall')).toMatchObject({
      fixedIn: '1.28.2',
      seeAlso: ['https://github.com/cloudnative-pg/cloudnative-pg/pull/10342'],
    });
  });

  test('commitBodyLines: one line per crossed release with its hazard tags', () => {
    expect(commitBodyLines(upgradePlan('0.26.1', '0.29.0'))).toEqual([
      'operator 1.28.0 (2025-12-09): min-kubernetes, crd-change, behavior-change',
      'operator 1.28.1 (2026-02-05): no recorded hazards',
      'operator 1.29.0 (2026-03-31): min-kubernetes, security, deprecation',
      'operator 1.29.1 (2026-05-08): security, monitoring-queries',
      'operator 1.30.0 (2026-06-29): min-kubernetes, rbac, security, crd-change, deprecation',
    ]);
    expect(commitBodyLines(upgradePlan('0.29.0', '0.27.1'))).toEqual([
      'undo operator 1.30.0 (2026-06-29): rbac, security, crd-change',
      'undo operator 1.29.1 (2026-05-08): security',
      'undo operator 1.29.0 (2026-03-31): security',
    ]);
    expect(commitBodyLines(upgradePlan('0.29.0', '0.30.0')).at(-1)).toMatch(/^plan incomplete: chart 0\.30\.0 is not in the built-in version table/);
  });
});

describe('pacing a roll-out (issue point 6)', () => {
  test('advice names the operator settings only when the plan rolls clusters', () => {
    const advice = rolloutAdvice(upgradePlan('0.26.1', '0.29.0'), { clustersDelay: 60 });
    expect(advice[0]).toMatch(/rolls PostgreSQL clusters/);
    expect(advice.join('\n')).toMatch(/CLUSTERS_ROLLOUT_DELAY: seconds to wait between the roll-outs of different clusters .*now 60/);
    expect(advice.join('\n')).toMatch(/INSTANCES_ROLLOUT_DELAY: .*not set/);
    expect(advice.join('\n')).toMatch(/ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: "true"/);
    expect(rolloutAdvice(upgradePlan('0.28.1', '0.28.3'))).toEqual([]);
    expect(rolloutAdvice(upgradePlan('0.26.1', '0.29.0', { inPlaceUpdates: true }))).toEqual([]);
    const even = rolloutAdvice(upgradePlan('0.23.2', '0.24.0', { inPlaceUpdates: true })).join('\n');
    expect(even).toMatch(/In-place updates do not avoid the roll-out of 1\.26\.0/);
    expect(even).not.toMatch(/ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: "true"/);
  });

  test('rolloutConfigData gives the chart\'s config.data strings; bad delays are refused by name', () => {
    expect(rolloutConfigData({ clustersDelay: 60, instancesDelay: 10 })).toEqual({ CLUSTERS_ROLLOUT_DELAY: '60', INSTANCES_ROLLOUT_DELAY: '10' });
    expect(rolloutConfigData({ instancesDelay: 0 })).toEqual({ INSTANCES_ROLLOUT_DELAY: '0' });
    expect(rolloutConfigData({ clustersDelay: 5, inPlaceUpdates: true })).toEqual({ CLUSTERS_ROLLOUT_DELAY: '5', ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: 'true' });
    expect(() => rolloutConfigData({ clustersDelay: -1 })).toThrow('clustersDelay must be a whole number of seconds from 0 to 86400, got -1');
    expect(() => rolloutConfigData({ instancesDelay: 1.5 })).toThrow(/instancesDelay/);
    expect(parseRolloutDelay('--clusters-rollout-delay', ' 120 ')).toBe(120);
    for (const bad of ['', '1e3', '-5', '60s', '0x10', '007', '86401']) {
      expect(() => parseRolloutDelay('--clusters-rollout-delay', bad)).toThrow(/^--clusters-rollout-delay must be a whole number of seconds/);
    }
  });
});
