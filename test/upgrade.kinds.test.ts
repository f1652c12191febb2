/**
 * upgrade.ts as a user meets it, for the combinations the main suite skips: an install of a chart with nothing
 * recorded or of an unknown chart, a chart-only downgrade, a patch crossing a release with no hazards of its own,
 * both ends unknown, the exact roll-out advice with settings already made, and the config.data limits.
 */
import { describe, expect, test } from '@jest/globals';
import { MAX_ROLLOUT_DELAY_SECONDS, commitBodyLines, formatPlan, rolloutAdvice, rolloutConfigData, upgradePlan } from '../src/core/upgrade.js';

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
