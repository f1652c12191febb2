/**
 * upgrade.ts as a user meets it, for the combinations the main suite skips: an install of a chart with nothing
 * recorded or of an unknown chart, a chart-only downgrade, a patch crossing a release with no hazards of its own,
 * both ends unknown, the exact roll-out advice with settings already made, and the config.data limits.
 */
import { describe, expect, test } from '@jest/globals';
import { type ReleaseTable, releaseTable, validateReleaseTable } from '../src/core/releases.js';
import { MAX_ROLLOUT_DELAY_SECONDS, type UpgradePlan, commitBodyLines, formatPlan, planJson, rolloutAdvice, rolloutConfigData, sortHazards, upgradePlan } from '../src/core/upgrade.js';
import { CHART_TO_OPERATOR } from '../src/core/versions.js';

const ROLLS = '  [rolls-clusters] every operator version change: Each operator version change triggers a rolling update of every PostgreSQL cluster to the new instance manager, ending in a switchover (single-instance clusters restart), unless ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES is "true".';
const ROLLS_SOURCE = '      https://github.com/cloudnative-pg/cloudnative-pg/blob/main/docs/src/installation_upgrade.md#in-place-updates-of-the-instance-manager';
const unknown = (chart: string): string => `chart ${chart} is not in the built-in version table (newest known: 0.29.0): its operator version and hazards are unknown`;

describe('plans a user reads', () => {
  test('installing a chart with nothing recorded, or one the tables do not know', () => {
    expect(formatPlan(upgradePlan(undefined, '0.26.1'))).toEqual(['Install plan: chart 0.26.1 (operator 1.27.1)', 'No recorded hazards for this change.']);
    expect(formatPlan(upgradePlan(undefined, '0.30.0'))).toEqual(['Install plan: chart 0.30.0 (operator unknown)', 'No recorded hazards for this change.', `Incomplete plan: ${unknown('0.30.0')}.`]);
    expect(upgradePlan(undefined, '0.30.0')).toMatchObject({ direction: 'install', from: { chart: null, operator: null }, crossed: [], hazards: [] });
  });

  test('a chart-only downgrade keeps the operator and crosses nothing', () => {
    expect(formatPlan(upgradePlan('0.28.3', '0.28.1'))).toEqual([
      'Downgrade plan: chart 0.28.3 -> 0.28.1, operator 1.29.1 -> 1.29.1',
      'No operator release crossed: the chart changes, the operator stays 1.29.1.',
      'No recorded hazards for this change.',
    ]);
  });

  test('a patch over a release with no hazards of its own: only the every-upgrade roll-out, either way', () => {
    expect(formatPlan(upgradePlan('0.27.0', '0.27.1'))).toEqual([
      'Upgrade plan: chart 0.27.0 -> 0.27.1, operator 1.28.0 -> 1.28.1',
      'Operator releases crossed (1): 1.28.1 (2026-02-05)',
      'Act before merging:',
      ROLLS,
      ROLLS_SOURCE,
    ]);
    expect(commitBodyLines(upgradePlan('0.27.0', '0.27.1'))).toEqual(['operator 1.28.1 (2026-02-05): no recorded hazards']);
    expect(formatPlan(upgradePlan('0.27.1', '0.27.0'))).toEqual([
      'Downgrade plan: chart 0.27.1 -> 0.27.0, operator 1.28.1 -> 1.28.0',
      'Operator releases undone (1, newest first): 1.28.1 (2026-02-05)',
      'Act before merging:',
      ROLLS,
      ROLLS_SOURCE,
    ]);
    expect(commitBodyLines(upgradePlan('0.27.1', '0.27.0'))).toEqual(['undo operator 1.28.1 (2026-02-05): nothing recorded lost']);
  });

  test('both ends unknown: the roll-out (the operator may change) and both reasons, in order', () => {
    const plan = upgradePlan('0.30.0', '0.31.0');
    expect(plan).toMatchObject({ direction: 'upgrade', from: { chart: '0.30.0', operator: null }, to: { chart: '0.31.0', operator: null }, crossed: [], incomplete: true });
    expect(formatPlan(plan)).toEqual([
      'Upgrade plan: chart 0.30.0 -> 0.31.0, operator unknown -> unknown',
      'No recorded operator release crossed.',
      'Act before merging:',
      ROLLS,
      ROLLS_SOURCE,
      `Incomplete plan: ${unknown('0.30.0')}; ${unknown('0.31.0')}.`,
    ]);
    expect(commitBodyLines(plan)).toEqual([`plan incomplete: ${unknown('0.30.0')}; ${unknown('0.31.0')}`]);
  });
});

describe('pacing a roll-out', () => {
  test('the advice, word for word, with the delays already set and in-place updates on', () => {
    expect(rolloutAdvice(upgradePlan('0.23.2', '0.24.0', { inPlaceUpdates: true }), { clustersDelay: 0, instancesDelay: 30 })).toEqual([
      'This change rolls PostgreSQL clusters. Pace it with the operator settings in the HelmRelease values config.data:',
      '  CLUSTERS_ROLLOUT_DELAY: seconds to wait between the roll-outs of different clusters during an operator upgrade (default 0: all at once; now 0).',
      '  INSTANCES_ROLLOUT_DELAY: seconds to wait between the roll-outs of the instances of one cluster (default 0; now 30).',
      '  In-place updates do not avoid the roll-out of 1.26.0: use the delays.',
      '  Values are strings ("60"). Set them in the bump commit or before it: the chart restarts the operator when config.data changes (checksum/config), and the new operator reads them when it starts.',
    ]);
  });

  test('config.data: the limits are inclusive, anything else is refused naming the setting and the value', () => {
    expect(MAX_ROLLOUT_DELAY_SECONDS).toBe(86400);
    expect(rolloutConfigData({ clustersDelay: 86400, instancesDelay: 0, inPlaceUpdates: false })).toEqual({ CLUSTERS_ROLLOUT_DELAY: '86400', INSTANCES_ROLLOUT_DELAY: '0', ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: 'false' });
    expect(rolloutConfigData({})).toEqual({});
    const refusal = (d: Parameters<typeof rolloutConfigData>[0]): string => {
      try {
        return JSON.stringify(rolloutConfigData(d));
      } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
    };
    expect([refusal({ clustersDelay: 86401 }), refusal({ instancesDelay: -1 }), refusal({ instancesDelay: NaN }), refusal({ clustersDelay: 2 ** 53 })]).toEqual([
      'RangeError: clustersDelay must be a whole number of seconds from 0 to 86400, got 86401',
      'RangeError: instancesDelay must be a whole number of seconds from 0 to 86400, got -1',
      'RangeError: instancesDelay must be a whole number of seconds from 0 to 86400, got NaN',
      `RangeError: clustersDelay must be a whole number of seconds from 0 to 86400, got ${2 ** 53}`,
    ]);
  });
});

/** The version table without one chart: its operator unknown, as for a chart newer than this package. */
const without = (chart: string): Record<string, string> => Object.fromEntries(Object.entries(CHART_TO_OPERATOR).filter(([c]) => c !== chart));
const tagsAndReleases = (chart: string | undefined, to: string, o = {}): [string, string | null][] => upgradePlan(chart, to, o).hazards.map((h) => [h.tag, h.release]);

describe('plans with an unknown end, by the charts a release ships', () => {
  test('from an unknown chart: the releases after the ones it ships; to one: up to and including the ones it ships', () => {
    expect(upgradePlan('0.26.1', '0.27.0', { chartToOperator: without('0.26.1') }).crossed.map((r) => r.version)).toEqual(['1.28.0']);
    expect(upgradePlan('0.26.1', '0.27.0', { chartToOperator: without('0.27.0') }).crossed.map((r) => r.version)).toEqual(['1.28.0']);
    expect(upgradePlan('0.27.1', '0.28.2', { chartToOperator: without('0.28.2') }).crossed.map((r) => r.version)).toEqual(['1.29.0', '1.29.1']);
  });

  test('a downgrade from an unknown newer chart undoes the releases above the target', () => {
    expect(upgradePlan('0.30.0', '0.28.3').crossed.map((r) => r.version)).toEqual(['1.30.0']);
  });

  test('the newest known chart is named only for a chart newer than it, whatever the table\'s order', () => {
    expect(upgradePlan('0.21.0', '0.22.1').reason).toBe('chart 0.21.0 is not in the built-in version table: its operator version and hazards are unknown');
    expect(upgradePlan('0.29.0', '0.31.0', { chartToOperator: { '0.29.0': '1.30.0', '0.28.0': '1.29.0' } }).reason).toBe(unknown('0.31.0'));
  });

  test('the same unknown version twice is no plan, not an incomplete one; a complete plan has no reason', () => {
    expect(upgradePlan('0.40.0', '0.40.0')).toMatchObject({ direction: 'same', incomplete: false, reason: null });
    expect(upgradePlan('0.26.1', '0.29.0').reason).toBeNull();
  });

  test('an operator known on both sides with no recorded release between: no claim that it stays', () => {
    expect(formatPlan(upgradePlan('0.29.0', '0.30.0', { chartToOperator: { ...CHART_TO_OPERATOR, '0.30.0': '1.31.0' } }))[1]).toBe('No recorded operator release crossed.');
  });
});

describe('which hazards a plan keeps', () => {
  test('a hazard fixed in the target operator version itself is gone', () => {
    expect(tagsAndReleases('0.26.0', '0.27.1')).toContainEqual(['upgrade-stall', '1.27.1']);
    expect(tagsAndReleases('0.26.0', '0.27.2', { chartToOperator: { ...CHART_TO_OPERATOR, '0.27.2': '1.28.2' } })).not.toContainEqual(['upgrade-stall', '1.27.1']);
  });

  test('the target chart\'s own hazards once, when its release is crossed', () => {
    expect(tagsAndReleases('0.28.3', '0.29.0')).toEqual([
      ['rolls-clusters', null], ['min-kubernetes', '1.30.0'], ['rbac', '1.30.0'], ['security', '1.30.0'], ['crd-change', '1.30.0'], ['crd-change', '1.30.0'], ['deprecation', '1.30.0'],
    ]);
  });

  test('a downgrade lists what it loses newest release first within each tag', () => {
    expect(tagsAndReleases('0.29.0', '0.25.0')).toEqual([
      ['rolls-clusters', null], ['rbac', '1.30.0'], ['security', '1.30.0'], ['security', '1.29.1'], ['security', '1.29.0'], ['crd-change', '1.30.0'], ['crd-change', '1.30.0'], ['crd-change', '1.28.0'],
    ]);
  });

  test('crossed releases carry the table\'s Kubernetes versions', () => {
    const plan = upgradePlan('0.22.0', '0.29.0');
    const table = new Map(releaseTable().releases.map((r) => [r.version, r.kubernetes ?? null]));
    expect(plan.crossed.map((r) => [r.version, r.kubernetes])).toEqual(plan.crossed.map((r) => [r.version, table.get(r.version)]));
  });

  test('"Hazards:" heads the list when nothing needs action before merging', () => {
    const lines = formatPlan(upgradePlan('0.26.0', '0.26.1', { inPlaceUpdates: true }));
    expect(lines.slice(0, 4)).toEqual(['Upgrade plan: chart 0.26.0 -> 0.26.1, operator 1.27.0 -> 1.27.1', 'Operator releases crossed (1): 1.27.1 (2025-10-23)', 'Hazards:', expect.stringMatching(/^ {2}\[upgrade-stall\] 1\.27\.1: /)]);
    expect(formatPlan(upgradePlan('0.26.1', '0.28.0'))[1]).toBe('Operator releases crossed (3): 1.28.0 (2025-12-09), 1.28.1 (2026-02-05), 1.29.0 (2026-03-31)');
  });
});

describe('the order of hazards', () => {
  const h = (tag: string, release: string | null, id: number): { tag: string; release: string | null; id: number } => ({ tag, release, id });
  test('act-before-merge tags, then the known tags in order, then unknown tags alphabetically', () => {
    const sorted = sortHazards([h('zeta', null, 1), h('alpha', null, 2), h('metrics', null, 3), h('upgrade-stall', null, 4), h('rbac', null, 5), h('rolls-clusters', null, 6)]);
    expect(sorted.map((x) => x.tag)).toEqual(['rolls-clusters', 'rbac', 'upgrade-stall', 'metrics', 'alpha', 'zeta']);
  });

  test('every tag the order lists comes before one it does not, whatever the names', () => {
    const order = ['upgrade-stall', 'known-bug', 'security', 'monitoring-queries', 'crd-change', 'behavior-change', 'deprecation', 'metrics'];
    const sorted = sortHazards([h('aaa-unlisted', null, 0), ...[...order].reverse().map((tag, i) => h(tag, null, i + 1))]);
    expect(sorted.map((x) => x.tag)).toEqual([...order, 'aaa-unlisted']);
  });

  test('tags the order does not list go by name before release: an older release does not lift a later name', () => {
    expect(sortHazards([h('alpha-note', '1.30.0', 1), h('zeta-note', '1.29.0', 2)]).map((x) => x.id)).toEqual([1, 2]);
    expect(sortHazards([h('alpha-note', '1.29.0', 1), h('zeta-note', '1.30.0', 2)], true).map((x) => x.id)).toEqual([1, 2]);
  });

  test('within a tag: every-upgrade hazards first in given order, then by release (descending for a downgrade), ties in given order', () => {
    const list = [h('security', '1.29.0', 1), h('security', null, 2), h('security', '1.30.0', 3), h('security', null, 4), h('security', '1.29.0', 5)];
    expect(sortHazards(list).map((x) => x.id)).toEqual([2, 4, 1, 5, 3]);
    expect(sortHazards(list, true).map((x) => x.id)).toEqual([2, 4, 3, 1, 5]);
  });
});

describe('a chart that ships the same operator as 0.29.0 (a chart-only release, as 0.28.1-0.28.3 are for 1.29.1)', () => {
  const map = { ...CHART_TO_OPERATOR, '0.28.9': '1.30.0', '0.29.1': '1.30.0' };
  const lostOrNot = (from: string, to: string): [string, string | null, boolean][] => upgradePlan(from, to, { chartToOperator: map }).hazards.map((x) => [x.tag, x.release, x.lost]);

  test('moving onto 0.29.0 from it, either way, shows 0.29.0\'s own hazards (its kubeVersion, its RBAC), not lost', () => {
    expect(lostOrNot('0.29.1', '0.29.0')).toEqual([['min-kubernetes', '1.30.0', false], ['rbac', '1.30.0', false]]);
    expect(lostOrNot('0.28.9', '0.29.0')).toEqual([['min-kubernetes', '1.30.0', false], ['rbac', '1.30.0', false]]);
  });

  test('a downgrade loses a chart\'s own hazard only when it comes from that chart', () => {
    expect(lostOrNot('0.29.1', '0.28.3')).toEqual([['rolls-clusters', null, false], ['security', '1.30.0', true], ['crd-change', '1.30.0', true], ['crd-change', '1.30.0', true]]);
    expect(lostOrNot('0.29.0', '0.28.3')).toEqual([['rolls-clusters', null, false], ['rbac', '1.30.0', true], ['security', '1.30.0', true], ['crd-change', '1.30.0', true], ['crd-change', '1.30.0', true]]);
  });
});

describe('what the doors print and store', () => {
  test('the advice for the every-upgrade roll-out alone: the in-place switch, no line about releases that roll anyway', () => {
    expect(rolloutAdvice(upgradePlan('0.27.0', '0.27.1'))).toEqual([
      'This change rolls PostgreSQL clusters. Pace it with the operator settings in the HelmRelease values config.data:',
      '  CLUSTERS_ROLLOUT_DELAY: seconds to wait between the roll-outs of different clusters during an operator upgrade (default 0: all at once; not set).',
      '  INSTANCES_ROLLOUT_DELAY: seconds to wait between the roll-outs of the instances of one cluster (default 0; not set).',
      '  ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: "true" replaces the instance manager in place after an operator upgrade, without restarting PostgreSQL (default off).',
      '  Values are strings ("60"). Set them in the bump commit or before it: the chart restarts the operator when config.data changes (checksum/config), and the new operator reads them when it starts.',
    ]);
  });

  test('a hazard keeps the charts it applies to; --json gives every hazard its see-also list, empty when there is none', () => {
    expect(upgradePlan(undefined, '0.29.0').hazards.map((x) => x.charts)).toEqual([['0.29.0'], ['0.29.0']]);
    const plan = upgradePlan('0.22.0', '0.29.0');
    expect(planJson(plan).hazards.map((x) => x.seeAlso)).toEqual(plan.hazards.map((x) => x.seeAlso ?? []));
    expect(planJson(plan).hazards.some((x) => x.seeAlso.length === 0)).toBe(true);
  });

  test('--json lists each crossed release with the Kubernetes versions the table gives it, null where it gives none', () => {
    const table = new Map(releaseTable().releases.map((r) => [r.version, r.kubernetes ?? null]));
    const crossed = planJson(upgradePlan('0.22.0', '0.29.0')).crossed;
    expect(crossed.map((r) => [r.version, r.kubernetes])).toEqual(crossed.map((r) => [r.version, table.get(r.version)]));
    expect(crossed.some((r) => Array.isArray(r.kubernetes) && r.kubernetes.length > 0)).toBe(true);
  });
});

/**
 * A small release table of our own (valid: validateReleaseTable passes it through), for what the shipped one does not
 * have yet: a second every-upgrade hazard, a release recorded without its chart (1.1.0: charts []), and a chart with
 * hazards of its own below a release that a downgrade undoes (0.2.0's kubeVersion and a known bug of that chart).
 */
function ownTable(): ReleaseTable {
  const src = (what: string): string => `https://example.org/${what}`;
  return validateReleaseTable({
    schema: 1,
    about: ['A test table.'],
    tags: {
      'rolls-clusters': 'Rolls every cluster.',
      'min-kubernetes': 'Needs newer Kubernetes.',
      'known-bug': 'A known bug.',
      security: 'A security fix.',
      'monitoring-queries': 'The default monitoring queries change.',
      'crd-change': 'A CRD changes.',
    },
    everyUpgrade: [
      { tag: 'rolls-clusters', text: 'Every change rolls clusters.', source: src('every') },
      { tag: 'monitoring-queries', text: 'Every change reloads the default monitoring queries.', source: src('queries') },
    ],
    releases: [
      { version: '1.0.0', date: '2025-01-10', charts: ['0.1.0'], notes: src('1.0.0'), hazards: [] },
      { version: '1.1.0', date: '2025-02-10', charts: [], notes: src('1.1.0'), hazards: [{ tag: 'crd-change', text: 'Cluster gains a field.', source: src('crd') }] },
      {
        version: '1.2.0',
        date: '2025-03-10',
        charts: ['0.2.0'],
        notes: src('1.2.0'),
        hazards: [
          { tag: 'min-kubernetes', text: 'Chart 0.2.0 declares kubeVersion >= 1.30.0.', source: src('kube'), charts: ['0.2.0'] },
          { tag: 'known-bug', text: 'Chart 0.2.0 drops the operator\'s extra labels.', source: src('labels'), charts: ['0.2.0'] },
        ],
      },
      { version: '1.3.0', date: '2025-04-10', charts: ['0.3.0'], notes: src('1.3.0'), hazards: [{ tag: 'security', text: 'A CVE is fixed.', source: src('cve') }] },
    ],
  });
}
const ownMap = { '0.1.0': '1.0.0', '0.2.0': '1.2.0', '0.3.0': '1.3.0' };
const own = (from: string, to: string, inPlaceUpdates = false): UpgradePlan => upgradePlan(from, to, { table: ownTable(), chartToOperator: ownMap, inPlaceUpdates });

describe('plans over a table of our own', () => {
  test('a release the table records without a chart is crossed by its operator version', () => {
    expect(formatPlan(own('0.1.0', '0.2.0'))).toEqual([
      'Upgrade plan: chart 0.1.0 -> 0.2.0, operator 1.0.0 -> 1.2.0',
      'Operator releases crossed (2): 1.1.0 (2025-02-10), 1.2.0 (2025-03-10)',
      'Act before merging:',
      '  [rolls-clusters] every operator version change: Every change rolls clusters.',
      '      https://example.org/every',
      '  [min-kubernetes] 1.2.0: Chart 0.2.0 declares kubeVersion >= 1.30.0.',
      '      https://example.org/kube',
      'Also:',
      '  [known-bug] 1.2.0: Chart 0.2.0 drops the operator\'s extra labels.',
      '      https://example.org/labels',
      '  [monitoring-queries] every operator version change: Every change reloads the default monitoring queries.',
      '      https://example.org/queries',
      '  [crd-change] 1.1.0: Cluster gains a field.',
      '      https://example.org/crd',
    ]);
    expect(commitBodyLines(own('0.1.0', '0.2.0'))).toEqual(['operator 1.1.0 (2025-02-10): crd-change', 'operator 1.2.0 (2025-03-10): min-kubernetes, known-bug']);
  });

  test('in-place updates drop only the every-upgrade roll-out, not the other every-upgrade hazards', () => {
    expect(own('0.1.0', '0.2.0', true).hazards.map((h) => [h.tag, h.release])).toEqual([
      ['min-kubernetes', '1.2.0'], ['known-bug', '1.2.0'], ['monitoring-queries', null], ['crd-change', '1.1.0'],
    ]);
  });

  test('a downgrade across a release onto a chart with hazards of its own shows them, not lost, beside what it loses', () => {
    expect(formatPlan(own('0.3.0', '0.2.0'))).toEqual([
      'Downgrade plan: chart 0.3.0 -> 0.2.0, operator 1.3.0 -> 1.2.0',
      'Operator releases undone (1, newest first): 1.3.0 (2025-04-10)',
      'Act before merging:',
      '  [rolls-clusters] every operator version change: Every change rolls clusters.',
      '      https://example.org/every',
      '  [min-kubernetes] 1.2.0: Chart 0.2.0 declares kubeVersion >= 1.30.0.',
      '      https://example.org/kube',
      'Lost by this downgrade:',
      '  [security] 1.3.0: A CVE is fixed.',
      '      https://example.org/cve',
      'Also:',
      '  [known-bug] 1.2.0: Chart 0.2.0 drops the operator\'s extra labels.',
      '      https://example.org/labels',
      '  [monitoring-queries] every operator version change: Every change reloads the default monitoring queries.',
      '      https://example.org/queries',
    ]);
  });

  test('"Also:" follows what a downgrade loses even when nothing needs action before merging', () => {
    expect(formatPlan(own('0.2.0', '0.1.0', true))).toEqual([
      'Downgrade plan: chart 0.2.0 -> 0.1.0, operator 1.2.0 -> 1.0.0',
      'Operator releases undone (2, newest first): 1.2.0 (2025-03-10), 1.1.0 (2025-02-10)',
      'Lost by this downgrade:',
      '  [crd-change] 1.1.0: Cluster gains a field.',
      '      https://example.org/crd',
      'Also:',
      '  [monitoring-queries] every operator version change: Every change reloads the default monitoring queries.',
      '      https://example.org/queries',
    ]);
  });
});

describe('unknown charts in the middle of the table, and an empty version table', () => {
  test('a downgrade from a chart the version table lacks undoes only the releases that ship a chart up to it', () => {
    expect(upgradePlan('0.28.3', '0.27.0', { chartToOperator: without('0.28.3') }).crossed.map((r) => r.version)).toEqual(['1.29.1', '1.29.0', '1.28.1']);
  });

  test('a downgrade to a chart the version table lacks undoes only the releases that ship a chart after it', () => {
    expect(upgradePlan('0.29.0', '0.27.0', { chartToOperator: without('0.27.0') }).crossed.map((r) => r.version)).toEqual(['1.30.0', '1.29.1', '1.29.0', '1.28.1']);
  });

  test('an empty version table: both charts unknown, no newest chart named', () => {
    expect(upgradePlan('0.28.0', '0.29.0', { chartToOperator: {} }).reason).toBe(
      'chart 0.28.0 is not in the built-in version table: its operator version and hazards are unknown; chart 0.29.0 is not in the built-in version table: its operator version and hazards are unknown',
    );
  });
});

describe('more than one release that rolls clusters even in place', () => {
  test('the advice names them all, oldest first, from a chart older than the table', () => {
    const advice = rolloutAdvice(upgradePlan('0.21.0', '0.24.0', { inPlaceUpdates: true }));
    expect(advice[3]).toBe('  In-place updates do not avoid the roll-out of 1.24.0, 1.26.0: use the delays.');
    expect(advice).toHaveLength(5);
  });
});
