/**
 * Issue 13, points 2-7 end to end: every run that changes the chart version prints the plan (both doors, --dry-run,
 * a flagless rerun after a Renovate bump, --all-clusters), --plan [--from] [--to] [--json], --check on a
 * Renovate-style bump, the bump commit's body, and the rollout-delay settings. The expected plan text comes from
 * the pure core (upgrade.ts, tested on its own in upgrade.test.ts); these tests check that the doors print it,
 * whole and in order, for the right from/to, and nothing else changes.
 */
import { describe, expect, test } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { runUpgrades } from '../src/core/upgrade-run.js';
import { censusOf, ownedPaths } from '../src/core/census.js';
import { resolveAnswers } from '../src/core/answers.js';
import { INFRASTRUCTURE as L } from '../src/core/layout.js';
import { packageVersion } from '../src/core/meta.js';
import { commitBodyLines, formatPlan, planJson, rolloutAdvice, upgradePlan } from '../src/core/upgrade.js';
import { CLUSTER_SETTINGS, OPERATOR, bin, commitCount, git, read, tmpRepo, tree, writeFile } from './helpers/repo.js';
import { yoOrdered } from './helpers/ordered.js';

const SETTINGS = 'kubernetes/clusters/infra/cluster-settings.yaml';
const CRDS = 'bootstrap/helmfile.d/00-crds.yaml';
const HELMRELEASE = `${OPERATOR}/helmrelease.yaml`;

/** A repo where the generator already ran, on `chart`. */
function repoOn(chart: string, extra: string[] = []): string {
  const dir = tmpRepo({ [SETTINGS]: CLUSTER_SETTINGS, 'README.md': '# gitops\n' });
  const r = bin(dir, ['--yes', '--chart-version', chart, ...extra]);
  if (r.status !== 0) throw new Error(`setup failed: ${r.stderr}`);
  return dir;
}

/** `lines` appear in `text` as one contiguous block. */
function block(lines: string[]): string {
  return lines.join('\n') + '\n';
}

const lastBody = (dir: string): string => git(dir, 'log', '-1', '--format=%B');
const PLAN_HEADER = /^(Upgrade|Downgrade|Install) plan:/m;

/** A Renovate PR: CNPG_OPERATOR_VERSION and the 00-crds.yaml release bumped, .yo-rc.json not. */
function renovateBump(dir: string, from: string, to: string): void {
  for (const f of [SETTINGS, CRDS]) {
    const text = read(dir, f);
    expect(text).toContain(from);
    writeFile(dir, f, text.replaceAll(from, to));
  }
  git(dir, 'commit', '-q', '-am', `chore(deps): update cloudnative-pg chart to ${to}`);
}

describe('a run that changes the chart version prints the plan', () => {
  test('patch bump 0.26.0 -> 0.26.1: the plan, act-before-merge first, then the pacing advice; the commit body lists the crossing', () => {
    const dir = repoOn('0.26.0');
    const r = bin(dir, ['--yes', '--chart-version', '0.26.1']);
    expect(r.status).toBe(0);
    const plan = upgradePlan('0.26.0', '0.26.1');
    expect(r.stdout).toContain(block(formatPlan(plan)));
    expect(r.stdout).toContain('Upgrade plan: chart 0.26.0 -> 0.26.1, operator 1.27.0 -> 1.27.1\nOperator releases crossed (1): 1.27.1');
    const act = r.stdout.indexOf('Act before merging:');
    expect(act).toBeGreaterThan(0);
    expect(r.stdout.indexOf('[rolls-clusters]')).toBeGreaterThan(act);
    expect(r.stdout.indexOf('[rolls-clusters]')).toBeLessThan(r.stdout.indexOf('[upgrade-stall]'));
    expect(r.stdout).toContain(block(rolloutAdvice(plan)));
    expect(r.stdout).toContain('--clusters-rollout-delay SECONDS and --instances-rollout-delay SECONDS');
    // The commit: the summary, then one line per crossed release with its tags, the Generated-by trailer last.
    const body = lastBody(dir);
    expect(body.split('\n')[0]).toBe('chore(databases): bump CloudNativePG operator chart 0.26.0 -> 0.26.1 (operator 1.27.0 -> 1.27.1)');
    expect(body).toContain('Monitoring: victoria-metrics\n\nevery operator version change: rolls-clusters\n' + block(commitBodyLines(plan)));
    expect(commitBodyLines(plan)).toEqual(['operator 1.27.1 (2025-10-23): upgrade-stall, deprecation']);
    expect(body.trimEnd().split('\n').at(-1)).toBe(`Generated-by: generator-cnpg-operator ${packageVersion()}`);
  });

  test('several minors 0.26.0 -> 0.29.0: every crossed release in order, kubernetes and RBAC hazards before merging', () => {
    const dir = repoOn('0.26.0');
    const r = bin(dir, ['--yes', '--chart-version', '0.29.0']);
    expect(r.status).toBe(0);
    const plan = upgradePlan('0.26.0', '0.29.0');
    expect(plan.crossed.map((c) => c.version)).toEqual(['1.27.1', '1.28.0', '1.28.1', '1.29.0', '1.29.1', '1.30.0']);
    expect(r.stdout).toContain(block(formatPlan(plan)));
    const act = r.stdout.slice(r.stdout.indexOf('Act before merging:'), r.stdout.indexOf('Also:'));
    for (const tag of ['[rolls-clusters]', '[min-kubernetes]', '[rbac]']) expect(act).toContain(tag);
    const body = lastBody(dir);
    for (const line of commitBodyLines(plan)) expect(body).toContain(`\n${line}\n`);
    expect(body).toMatch(/\noperator 1\.30\.0 \(\d{4}-\d\d-\d\d\): .*rbac/);
  });

  test('a downgrade (--allow-downgrade) says what it undoes and loses; without the flag it is refused before any plan', () => {
    const dir = repoOn('0.29.0');
    const refused = bin(dir, ['--yes', '--chart-version', '0.28.0']);
    expect(refused.status).toBe(2);
    expect(refused.stdout).not.toMatch(PLAN_HEADER);
    const r = bin(dir, ['--yes', '--chart-version', '0.28.0', '--allow-downgrade']);
    expect(r.status).toBe(0);
    const plan = upgradePlan('0.29.0', '0.28.0');
    expect(plan.direction).toBe('downgrade');
    expect(r.stdout).toContain(block(formatPlan(plan)));
    expect(r.stdout).toContain('Downgrade plan: chart 0.29.0 -> 0.28.0, operator 1.30.0 -> 1.29.0');
    expect(r.stdout).toContain('Lost by this downgrade:');
    expect(r.stdout).toMatch(/\[crd-change\] 1\.30\.0: /);
    const body = lastBody(dir);
    expect(body.split('\n')[0]).toMatch(/^chore\(databases\): downgrade CloudNativePG operator chart 0\.29\.0 -> 0\.28\.0/);
    expect(body).toContain('\nundo operator 1.30.0 (');
  });

  test('an unknown target chart: a plan marked incomplete, exit 0, and the commit body says so', () => {
    const dir = repoOn('0.29.0');
    const r = bin(dir, ['--yes', '--chart-version', '0.99.0']);
    expect(r.status).toBe(0);
    const plan = upgradePlan('0.29.0', '0.99.0');
    expect(plan.incomplete).toBe(true);
    expect(r.stdout).toContain(block(formatPlan(plan)));
    expect(r.stdout).toMatch(/^Incomplete plan: chart 0\.99\.0 is not in the built-in version table/m);
    expect(lastBody(dir)).toContain('\nplan incomplete: chart 0.99.0 is not in the built-in version table');
  });

  test('a same-version rerun prints no plan and commits nothing; a first install prints no upgrade plan either', () => {
    const dir = tmpRepo({ [SETTINGS]: CLUSTER_SETTINGS });
    const first = bin(dir, ['--yes', '--chart-version', '0.26.1']);
    expect(first.status).toBe(0);
    expect(first.stdout).not.toMatch(PLAN_HEADER);
    const commits = commitCount(dir);
    for (const args of [['--yes'], ['--yes', '--chart-version', '0.26.1'], ['--dry-run']]) {
      const r = bin(dir, args);
      expect({ args, status: r.status, plan: PLAN_HEADER.test(r.stdout), advice: r.stdout.includes('CLUSTERS_ROLLOUT_DELAY') }).toEqual({ args, status: 0, plan: false, advice: false });
    }
    expect(commitCount(dir)).toBe(commits);
  });

  test('--dry-run prints the plan beside the diff and writes nothing; --json carries it under "upgrade"', () => {
    const dir = repoOn('0.26.0');
    const before = tree(dir);
    const r = bin(dir, ['--dry-run', '--chart-version', '0.27.0']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(block(formatPlan(upgradePlan('0.26.0', '0.27.0'))));
    expect(r.stdout).toContain('+  CNPG_OPERATOR_VERSION: "0.27.0"');
    const j = bin(dir, ['--dry-run', '--json', '--chart-version', '0.27.0']);
    expect(j.status).toBe(0);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.upgrade).toEqual([{ where: ['infra'], ...planJson(upgradePlan('0.26.0', '0.27.0')) }]);
    expect(tree(dir)).toEqual(before);
  });

  test('the Yeoman door prints the same plan and makes the same commit body as the bin', () => {
    const a = repoOn('0.26.0');
    const b = repoOn('0.26.0');
    const r = bin(a, ['--yes', '--chart-version', '0.28.0']);
    const y = yoOrdered(b, ['--yes', '--chart-version', '0.28.0']);
    expect([r.status, y.status]).toEqual([0, 0]);
    const text = block(formatPlan(upgradePlan('0.26.0', '0.28.0')));
    expect(r.stdout).toContain(text);
    expect(y.output).toContain(text);
    expect(lastBody(b)).toBe(lastBody(a));
  });
});

describe('after a Renovate bump (cluster-settings and 00-crds.yaml, not .yo-rc.json)', () => {
  test('--check prints the plan of that move beside the drift and exits 1; --json carries both', () => {
    const dir = repoOn('0.26.0');
    renovateBump(dir, '0.26.0', '0.28.0');
    const before = tree(dir);
    const r = bin(dir, ['--check']);
    expect(r.status).toBe(1);
    const plan = upgradePlan('0.26.0', '0.28.0');
    expect(r.stdout).toContain(block(formatPlan(plan)));
    expect(r.stdout).toContain(`${SETTINGS}: cluster infra is on chart 0.28.0, expected 0.26.0`);
    expect(r.stdout).toContain(`${CRDS}: the cloudnative-pg release is at 0.28.0, expected 0.26.0`);
    const j = bin(dir, ['--check', '--json']);
    expect(j.status).toBe(1);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.result).toBe('drift');
    expect(parsed.problems).toContain(`${SETTINGS}: cluster infra is on chart 0.28.0, expected 0.26.0`);
    // Renovate moved the cluster and the CRD helmfile the same way: one plan for both.
    expect(parsed.upgrade).toEqual([{ where: ['infra', CRDS], ...planJson(plan) }]);
    expect(tree(dir)).toEqual(before);
  });

  test('a flagless rerun aligns the repo and still shows the move from the stored version; then --check is clean and quiet', () => {
    const dir = repoOn('0.26.0');
    renovateBump(dir, '0.26.0', '0.28.0');
    const r = bin(dir, ['--yes']);
    expect(r.status).toBe(0);
    const plan = upgradePlan('0.26.0', '0.28.0');
    expect(r.stdout).toContain(block(formatPlan(plan)));
    expect(lastBody(dir)).toContain(block(commitBodyLines(plan)));
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-cnpg-operator'].chartVersion).toBe('0.28.0');
    const c = bin(dir, ['--check']);
    expect(c.status).toBe(0);
    expect(c.stdout).not.toMatch(PLAN_HEADER);
  });
});

describe('--all-clusters: one plan per distinct from-version', () => {
  test('a staged fleet (a on 0.26.0, b already on 0.26.1) moving to 0.27.0 gets two plans and a body per from-version', () => {
    const dir = tmpRepo({
      'kubernetes/clusters/a/cluster-settings.yaml': CLUSTER_SETTINGS,
      'kubernetes/clusters/b/cluster-settings.yaml': CLUSTER_SETTINGS,
    });
    expect(bin(dir, ['--yes', '--cluster', 'a,b', '--chart-version', '0.26.0']).status).toBe(0);
    expect(bin(dir, ['--yes', '--cluster', 'b', '--chart-version', '0.26.1']).status).toBe(0);
    const r = bin(dir, ['--yes', '--all-clusters', '--chart-version', '0.27.0']);
    expect(r.status).toBe(0);
    const fromA = upgradePlan('0.26.0', '0.27.0');
    const fromB = upgradePlan('0.26.1', '0.27.0');
    expect(r.stdout).toContain(block(['a (from chart 0.26.0):', ...formatPlan(fromA)]));
    expect(r.stdout).toContain(block(['b (from chart 0.26.1):', ...formatPlan(fromB)]));
    const body = lastBody(dir);
    expect(body).toContain(block([`From chart 0.26.0 (a) to 0.27.0:`, '  every operator version change: rolls-clusters', ...commitBodyLines(fromA).map((l) => `  ${l}`)]));
    expect(body).toContain(block([`From chart 0.26.1 (b) to 0.27.0:`, '  every operator version change: rolls-clusters', ...commitBodyLines(fromB).map((l) => `  ${l}`)]));
  });

  test('runUpgrades (pure): clusters with the same from share one plan; the stored version is the from after a Renovate bump', () => {
    const cs = (v: string) => CLUSTER_SETTINGS.replace('\ndata:\n', `\ndata:\n  CNPG_OPERATOR_VERSION: "${v}"\n`);
    const files = new Map<string, string | undefined>(ownedPaths(L).map((p) => [p, undefined]));
    files.set(L.clusterSettingsPath('a'), cs('0.28.0'));
    files.set(L.clusterSettingsPath('b'), cs('0.28.0'));
    files.set(L.clusterSettingsPath('c'), cs('0.26.0'));
    files.set('.yo-rc.json', JSON.stringify({ 'generator-cnpg-operator': { cluster: ['a', 'b', 'c'], chartVersion: '0.27.0' } }));
    const census = censusOf(L, files, ['a', 'b', 'c']);
    const resolution = resolveAnswers({}, census.stored, census, {}, { allClusters: true });
    expect(resolution.answers.chartVersion).toBe('0.28.0');
    const ups = runUpgrades(census, resolution, {});
    expect(ups.map((u) => [u.where, u.plan.from.chart, u.plan.to.chart])).toEqual([
      [['a', 'b'], '0.27.0', '0.28.0'],
      [['c'], '0.26.0', '0.28.0'],
    ]);
    const check = resolveAnswers({}, census.stored, census, {}, { allClusters: true, check: true });
    expect(runUpgrades(census, check, { check: true }).map((u) => [u.where, u.plan.from.chart, u.plan.to.chart])).toEqual([
      [['a', 'b'], '0.27.0', '0.28.0'],
      [['c'], '0.26.0', '0.27.0'],
    ]);
  });
});

describe('--plan [--from X] [--to Y]', () => {
  test('text: from the repo\'s version to --to, or to the newest chart; writes nothing, exit 0, in both doors', () => {
    const dir = repoOn('0.26.0');
    const before = tree(dir);
    const commits = commitCount(dir);
    const r = bin(dir, ['--plan', '--to', '0.28.0']);
    expect(r.status).toBe(0);
    const plan = upgradePlan('0.26.0', '0.28.0');
    expect(r.stdout).toBe(block([...formatPlan(plan), ...rolloutAdvice(plan), r.stdout.trimEnd().split('\n').at(-1)!]));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}This generator writes them: --clusters-rollout-delay/);
    expect(r.stderr).toBe('');
    const newest = bin(dir, ['--plan']);
    expect(newest.status).toBe(0);
    expect(newest.stdout).toContain(block(formatPlan(upgradePlan('0.26.0', '0.29.0'))));
    const y = yoOrdered(dir, ['--plan', '--from', '0.26.1', '--to', '0.27.0']);
    expect(y.status).toBe(0);
    expect(y.output).toContain(block(formatPlan(upgradePlan('0.26.1', '0.27.0'))));
    expect(tree(dir)).toEqual(before);
    expect(commitCount(dir)).toBe(commits);
  });

  test('--json: planJson of the same plan; an unknown --to is an incomplete plan with exit 0; same version: empty plan', () => {
    const dir = repoOn('0.26.0');
    const r = bin(dir, ['--plan', '--from', '0.26.1', '--to', '0.29.0', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(planJson(upgradePlan('0.26.1', '0.29.0')));
    const unknown = bin(dir, ['--plan', '--to', '0.99.0', '--json']);
    expect(unknown.status).toBe(0);
    const u = JSON.parse(unknown.stdout);
    expect({ incomplete: u.incomplete, from: u.from, to: u.to }).toEqual({ incomplete: true, from: { chart: '0.26.0', operator: '1.27.0' }, to: { chart: '0.99.0', operator: null } });
    expect(u.reason).toMatch(/0\.99\.0 is not in the built-in version table/);
    const unknownText = bin(dir, ['--plan', '--to', '0.99.0']);
    expect(unknownText.status).toBe(0);
    expect(unknownText.stdout).toMatch(/^Incomplete plan: /m);
    const same = bin(dir, ['--plan', '--to', '0.26.0']);
    expect(same.status).toBe(0);
    expect(same.stdout).toBe('Plan: chart 0.26.0 (operator 1.27.0) is already the version: nothing to cross.\n');
  });

  test('works outside a GitOps repo when both ends are given', () => {
    const dir = tmpRepo({ 'README.md': 'not a gitops repo\n' });
    const before = tree(dir);
    const r = bin(dir, ['--plan', '--from', '0.22.0', '--to', '0.29.0', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(planJson(upgradePlan('0.22.0', '0.29.0')));
    expect(tree(dir)).toEqual(before);
  });

  test('bad --from/--to: exit 2, one line naming the flag, nothing written (both doors)', () => {
    const dir = repoOn('0.26.0');
    const before = tree(dir);
    const cases: [string[], RegExp][] = [
      [['--plan', '--from', '0.26'], /^cnpg-operator: error: --from "0\.26": must be an exact chart version X\.Y\.Z/],
      [['--plan', '--from', 'latest'], /^cnpg-operator: error: --from "latest"/],
      [['--plan', '--to', 'v0.27.0'], /^cnpg-operator: error: --to "v0\.27\.0"/],
      [['--plan', '--to', '1.27.0'], /^cnpg-operator: error: --to 1\.27\.0 is an operator version, not a chart version: use chart 0\.26\.0/],
      [['--plan', '--from', '>=0.26.0'], /^cnpg-operator: error: --from ">=0\.26\.0"/],
      [['--from', '0.26.0'], /^cnpg-operator: error: --from is only valid with --plan/],
      [['--plan', '--check'], /^cnpg-operator: error: --plan cannot be combined with --check/],
      [['--plan', '--dry-run'], /^cnpg-operator: error: --plan cannot be combined with --dry-run/],
      [['--plan', '--chart-version', '0.27.0'], /^cnpg-operator: error: --plan takes the version to plan to as --to, not --chart-version/],
    ];
    for (const [args, message] of cases) {
      const r = bin(dir, args);
      expect({ args, status: r.status, lines: r.stderr.trimEnd().split('\n').length, stdout: r.stdout }).toEqual({ args, status: 2, lines: 1, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
    const y = yoOrdered(dir, ['--plan', '--from', '0.26']);
    expect(y.status).toBe(2);
    expect(y.output).toMatch(/^yo cnpg-operator: error: --from "0\.26": must be an exact chart version/m);
    expect(tree(dir)).toEqual(before);
  });

  test('--help of both doors lists --plan, --from, --to and the two delay settings', () => {
    const h = bin(process.cwd(), ['--help']);
    const y = yoOrdered(process.cwd(), ['--help']);
    for (const text of [h.stdout, y.output]) {
      for (const flag of ['--plan', '--from <chart>', '--to <chart>', '--clusters-rollout-delay <value>', '--instances-rollout-delay <value>']) expect(text).toContain(flag);
    }
  });
});

describe('rollout delays: --clusters-rollout-delay / --instances-rollout-delay', () => {
  const configData = (dir: string): unknown => {
    const hr = parseYaml(read(dir, HELMRELEASE).replaceAll('${CNPG_OPERATOR_REPLICAS}', '2')) as { spec: { values: { config: Record<string, unknown> } } };
    return hr.spec.values.config.data;
  };

  test('written as strings into config.data beside the in-place key, stored, kept by a rerun, unset by an empty value', () => {
    const dir = repoOn('0.26.0');
    expect(configData(dir)).toBeUndefined();
    const r = bin(dir, ['--yes', '--clusters-rollout-delay', '300', '--instances-rollout-delay', '30', '--inplace-updates', 'true']);
    expect(r.status).toBe(0);
    expect(configData(dir)).toEqual({ ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: 'true', CLUSTERS_ROLLOUT_DELAY: '300', INSTANCES_ROLLOUT_DELAY: '30' });
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-cnpg-operator'];
    expect([stored.clustersRolloutDelay, stored.instancesRolloutDelay]).toEqual([300, 30]);
    // A rerun keeps them; a bump's advice shows the values now set.
    expect(bin(dir, ['--yes']).stdout).toContain('nothing changed; no commit');
    const bump = bin(dir, ['--yes', '--chart-version', '0.27.0', '--inplace-updates', 'false']);
    expect(bump.status).toBe(0);
    expect(bump.stdout).toContain('(default 0: all at once; now 300)');
    expect(bump.stdout).toContain('(default 0; now 30)');
    expect(configData(dir)).toEqual({ CLUSTERS_ROLLOUT_DELAY: '300', INSTANCES_ROLLOUT_DELAY: '30' });
    expect(bin(dir, ['--yes', '--instances-rollout-delay', '', '--clusters-rollout-delay=0']).status).toBe(0);
    expect(configData(dir)).toEqual({ CLUSTERS_ROLLOUT_DELAY: '0' });
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-cnpg-operator'].instancesRolloutDelay).toBeNull();
    expect(bin(dir, ['--check']).status).toBe(0);
  });

  test('the Yeoman door writes the same bytes', () => {
    const a = repoOn('0.26.0');
    const b = repoOn('0.26.0');
    const args = ['--yes', '--clusters-rollout-delay', '120', '--instances-rollout-delay', '15'];
    expect(bin(a, args).status).toBe(0);
    expect(yoOrdered(b, args).status).toBe(0);
    expect(read(b, HELMRELEASE)).toBe(read(a, HELMRELEASE));
    expect(configData(b)).toEqual({ CLUSTERS_ROLLOUT_DELAY: '120', INSTANCES_ROLLOUT_DELAY: '15' });
  });

  test('refused values: exit 2, one line naming the flag, nothing written; a bad stored value names .yo-rc.json', () => {
    const dir = repoOn('0.26.0');
    const before = tree(dir);
    for (const [flag, value] of [
      ['--clusters-rollout-delay', '1m'],
      ['--clusters-rollout-delay', '-1'],
      ['--instances-rollout-delay', '86401'],
      ['--instances-rollout-delay', '1.5'],
      ['--clusters-rollout-delay', '0x10'],
    ]) {
      const r = bin(dir, ['--yes', `${flag}=${value}`]);
      expect({ flag, value, status: r.status, lines: r.stderr.trimEnd().split('\n').length }).toEqual({ flag, value, status: 2, lines: 1 });
      expect(r.stderr).toContain(`error: ${flag} ${JSON.stringify(value)}: must be a whole number of seconds from 0 to 86400`);
    }
    expect(tree(dir)).toEqual(before);
    const rc = JSON.parse(read(dir, '.yo-rc.json'));
    rc['generator-cnpg-operator'].clustersRolloutDelay = 'soon';
    writeFile(dir, '.yo-rc.json', JSON.stringify(rc, null, 2) + '\n');
    const bad = bin(dir, ['--yes']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: \.yo-rc\.json: .*clustersRolloutDelay.*whole number of seconds/m);
  });
});
