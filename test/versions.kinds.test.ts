/**
 * versions.ts as a user meets it: chart -> operator versions in upgrade plans and messages, the order of versions
 * (numeric, and `1.28` equal to `1.28.0`, as the release table writes Kubernetes minors), and the one-line note
 * when a chart's Chart.yaml asks for a newer Kubernetes than the generator's baseline, for every way a Chart.yaml
 * writes `kubeVersion`.
 */
import { describe, expect, test } from '@jest/globals';
import { CHART_KUBE_VERSION, CHART_TO_OPERATOR, KUBE_BASELINE, chartsShipping, compareVersions, describeChart, kubeRequirement, operatorVersionOf } from '../src/core/versions.js';

describe('the order of versions', () => {
  test('missing parts count as 0: 1.28 and 1.28.0 are the same version, 1.28 is below 1.28.1', () => {
    expect([compareVersions('1.28', '1.28.0'), compareVersions('1.28.0', '1.28')]).toEqual([0, 0]);
    expect(Math.sign(compareVersions('1.28', '1.28.1'))).toBe(-1);
    expect(Math.sign(compareVersions('1.28.1', '1.28'))).toBe(1);
    expect(Math.sign(compareVersions('1.29', '1.28.9'))).toBe(1);
    expect(['1.30', '1.28.1', '1.28', '1.9', '1.29.0'].sort(compareVersions)).toEqual(['1.9', '1.28', '1.28.1', '1.29.0', '1.30']);
  });

  test('each part decides only when the ones before it are equal', () => {
    expect(Math.sign(compareVersions('2.0.0', '1.99.99'))).toBe(1);
    expect(Math.sign(compareVersions('1.2.3', '1.3.0'))).toBe(-1);
    expect(Math.sign(compareVersions('1.2.10', '1.2.9'))).toBe(1);
    expect(compareVersions('0.26.1', '0.26.0')).toBe(1);
    expect(compareVersions('0.26.0', '0.28.0')).toBe(-2);
  });
});

describe('charts and operator versions', () => {
  test('every chart in the table maps to its operator; anything else (even an Object property name) to none', () => {
    for (const [chart, operator] of Object.entries(CHART_TO_OPERATOR)) {
      expect([chart, operatorVersionOf(chart), describeChart(chart)]).toEqual([chart, operator, `${chart} (operator ${operator})`]);
    }
    for (const chart of ['1.27.0', '0.26', 'toString', '__proto__', 'hasOwnProperty', '']) {
      expect([chart, operatorVersionOf(chart), describeChart(chart)]).toEqual([chart, undefined, `${chart} (operator unknown)`]);
    }
  });

  test('the charts that ship an operator version, newest first, and only those', () => {
    expect(chartsShipping('1.25.0')).toEqual(['0.23.1', '0.23.0']);
    expect(chartsShipping('1.30.0')).toEqual(['0.29.0']);
    expect(chartsShipping('0.29.0')).toEqual([]);
    expect(Object.keys(CHART_TO_OPERATOR)).toEqual(Object.keys(CHART_TO_OPERATOR).sort(compareVersions));
    const all = [...new Set(Object.values(CHART_TO_OPERATOR))].flatMap((op) => chartsShipping(op));
    expect(all.sort(compareVersions)).toEqual(Object.keys(CHART_TO_OPERATOR).sort(compareVersions));
  });
});

describe('kubeVersion of a chart against the baseline', () => {
  test('the shipped table: 0.29.0 needs 1.29, charts that declare nothing or were not checked say nothing', () => {
    expect(KUBE_BASELINE).toBe('1.28');
    expect(kubeRequirement('0.29.0')).toBe('chart 0.29.0 needs Kubernetes >= 1.29');
    for (const chart of ['0.26.0', '0.26.1', '0.28.0', '9.9.9', 'toString', 'constructor']) expect([chart, kubeRequirement(chart)]).toEqual([chart, undefined]);
    expect(Object.keys(CHART_KUBE_VERSION).every((c) => Object.hasOwn(CHART_TO_OPERATOR, c))).toBe(true);
  });

  test.each([
    ['>=1.29.0-0', 'chart X needs Kubernetes >= 1.29'],
    ['>= 1.30', 'chart X needs Kubernetes >= 1.30'],
    ['>=\t1.31.2', 'chart X needs Kubernetes >= 1.31'],
    ['>=v1.32.0', 'chart X needs Kubernetes >= 1.32'],
    ['  >=1.29.0-0  ', 'chart X needs Kubernetes >= 1.29'],
    ['>=1.29.0-rc.1', 'chart X needs Kubernetes >= 1.29'],
    ['>=1.29.0-alpha-2', 'chart X needs Kubernetes >= 1.29'],
    ['>=1.100', 'chart X needs Kubernetes >= 1.100'],
    ['>=1.29.10', 'chart X needs Kubernetes >= 1.29'],
    ['>=2.0.0', 'chart X needs Kubernetes >= 2.0'],
    ['>=10.1', 'chart X needs Kubernetes >= 10.1'],
    ['>=1.28.0-0', undefined],
    ['>=1.28.5', undefined],
    ['>=1.27', undefined],
    ['>=1.3', undefined],
    ['>=0.30', undefined],
    ['>=1.29.x', 'chart X declares kubeVersion ">=1.29.x"'],
    ['>=1.29.0-', 'chart X declares kubeVersion ">=1.29.0-"'],
    ['>=1.29.0-0 <1.33.0', 'chart X declares kubeVersion ">=1.29.0-0 <1.33.0"'],
    ['^1.29', 'chart X declares kubeVersion "^1.29"'],
    ['~>=1.29', 'chart X declares kubeVersion "~>=1.29"'],
    ['>=1', 'chart X declares kubeVersion ">=1"'],
    ['>=1.29.0.1', 'chart X declares kubeVersion ">=1.29.0.1"'],
    ['>=vv1.29', 'chart X declares kubeVersion ">=vv1.29"'],
    ['>=1.29.0-0 ', 'chart X needs Kubernetes >= 1.29'],
  ])('kubeVersion %j', (constraint, want) => {
    expect(kubeRequirement('X', { X: constraint })).toBe(want);
  });

  test('a chart that declares none, or is not in the table', () => {
    expect([kubeRequirement('X', { X: null }), kubeRequirement('Y', { X: '>=1.40' }), kubeRequirement('toString', {})]).toEqual([undefined, undefined, undefined]);
  });
});
