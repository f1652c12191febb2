/**
 * The settings of issue 11 as a user meets them: --monitoring-labels (validated Kubernetes labels, refused with one
 * line and no byte written, printed through the one YAML serialiser), --inplace-updates, the chart's Kubernetes
 * requirement, and the stored answers a rerun reads back.
 */
import { describe, expect, test } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { labelMap, suggestMonitoringLabels } from '../src/core/labels.js';
import { renderGenerated } from '../src/core/plan.js';
import { DEFAULT_LAYOUT } from '../src/core/layout.js';
import { DEFAULT_ANSWERS, parseSetting, settingOf } from '../src/core/settings.js';
import { InputError } from '../src/core/errors.js';
import { CHART_KUBE_VERSION, CHART_TO_OPERATOR, kubeRequirement } from '../src/core/versions.js';
import { CLUSTER_SETTINGS, MONITORING, OPERATOR, bin, commitCount, read, tmpRepo, tree } from './helpers/repo.js';
import { upstreamFile } from './helpers/upstream.js';

describe('--monitoring-labels', () => {
  test('key=value pairs become a map with sorted keys; prefixed keys, empty values and the stored map form are accepted', () => {
    expect(parseSetting('monitoringLabels', ' release=kube-prometheus-stack , example.com/team=dba,tier=')).toEqual({ 'example.com/team': 'dba', release: 'kube-prometheus-stack', tier: '' });
    expect(Object.keys(parseSetting('monitoringLabels', 'b=1,a=2'))).toEqual(['a', 'b']);
    expect(parseSetting('monitoringLabels', '')).toEqual({});
    expect(parseSetting('monitoringLabels', { release: 'x' })).toEqual({ release: 'x' });
    expect(settingOf('monitoringLabels').show({ a: '1', 'b.io/c': '' })).toBe('a=1,b.io/c=');
  });

  test.each([
    ['a value that would add a key', 'release=x\n  evil: 1', /value "x\\n  evil: 1"/],
    ['a key that would add a key', 'a: b=c', /label key "a: b"/],
    ['a Flux substitution', 'release=${HOME}', /value "\$\{HOME\}"/],
    ['a document separator', 'x=---', /value "---"/],
    ['no "="', 'release', /"release" is not key=value/],
    ['an empty key', '=x', /empty label key/],
    ['a value over 63 characters', `a=${'v'.repeat(64)}`, /at most 63/],
    ['a bad prefix', 'Example.com/x=y', /prefix before "\/"/],
    ['the generator\'s own label', 'app.kubernetes.io/name=other', /set by the generator/],
    ['a key given twice with two values', 'a=1,a=2', /given twice/],
    ['a YAML flow map', '{a: b}=c', /label key/],
  ])('refused: %s', (_, raw, message) => {
    expect(() => parseSetting('monitoringLabels', raw)).toThrow(InputError);
    expect(() => parseSetting('monitoringLabels', raw)).toThrow(message);
    expect(() => parseSetting('monitoringLabels', raw)).toThrow(/^--monitoring-labels /);
  });

  test('a stored map with a non-string value or a list is refused', () => {
    expect(() => labelMap({ a: 1 })).toThrow(/must be a string/);
    expect(() => labelMap(['a=b'])).toThrow(/a list/);
  });

  test('values YAML would read as something else stay strings in the written objects, for both stacks', () => {
    const labels = parseSetting('monitoringLabels', 'on=yes,true=null,n=1.0,x=0x1F,off=');
    for (const monitoring of ['victoria-metrics', 'prometheus-operator'] as const) {
      const files = renderGenerated({ ...DEFAULT_ANSWERS, monitoring, monitoringLabels: labels }, DEFAULT_LAYOUT);
      for (const name of ['podmonitor.yaml', 'prometheusrule.yaml']) {
        const text = files.get(`${MONITORING}/${name}`)!;
        for (const version of ['1.1', '1.2'] as const) {
          const [doc] = parseAllDocuments(text, { version }).map((d) => d.toJS() as { metadata: { labels: Record<string, unknown> } });
          expect({ name, version, labels: doc.metadata.labels }).toEqual({ name, version, labels: { 'app.kubernetes.io/name': 'cloudnative-pg', ...labels } });
        }
      }
    }
  });

  test('prompted only when monitoring is not none', () => {
    const askWhen = settingOf('monitoringLabels').askWhen!;
    expect(askWhen({ ...DEFAULT_ANSWERS, monitoring: 'none' })).toBe(false);
    expect(askWhen({ ...DEFAULT_ANSWERS, monitoring: 'prometheus-operator' })).toBe(true);
    expect(askWhen({ ...DEFAULT_ANSWERS, monitoring: 'victoria-metrics' })).toBe(true);
  });

  test('the kube-prometheus-stack suggestion is release=<its release name>', () => {
    expect(suggestMonitoringLabels('kube-prometheus-stack')).toEqual({ release: 'kube-prometheus-stack' });
    expect(suggestMonitoringLabels('kps')).toEqual({ release: 'kps' });
    expect(suggestMonitoringLabels(undefined)).toBeUndefined();
    expect(suggestMonitoringLabels('not a label')).toBeUndefined();
  });

  test('the bin refuses an injection attempt with one line naming the flag, exit 2, and writes nothing', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    const before = tree(repo);
    const r = bin(repo, ['--yes', '--monitoring', 'prometheus-operator', '--monitoring-labels', 'release=kps\n  evil: "1"']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--monitoring-labels .*value/);
    expect(tree(repo)).toEqual(before);
  });

  test('a hand-edited .yo-rc.json with a label built to add a key is refused, not written', () => {
    const repo = tmpRepo({ '.yo-rc.json': JSON.stringify({ 'generator-cnpg-operator': { monitoringLabels: { release: 'x\n    evil: y' } } }) });
    const before = tree(repo);
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.yo-rc\.json: .*monitoringLabels/);
    expect(tree(repo)).toEqual(before);
  });
});

describe('--inplace-updates', () => {
  test('true/false (and stored booleans) only', () => {
    expect(parseSetting('inplaceUpdates', 'true')).toBe(true);
    expect(parseSetting('inplaceUpdates', ' false ')).toBe(false);
    expect(parseSetting('inplaceUpdates', true)).toBe(true);
    for (const bad of ['yes', '1', 'TRUE', '', 'on']) expect(() => parseSetting('inplaceUpdates', bad)).toThrow(/^--inplace-updates .*must be true or false/);
    expect(DEFAULT_ANSWERS.inplaceUpdates).toBe(false);
  });

  test('on: the HelmRelease carries the key as the string "true" under config.data; off: no config.data at all', () => {
    const values = (inplaceUpdates: boolean) => {
      const text = renderGenerated({ ...DEFAULT_ANSWERS, inplaceUpdates }, DEFAULT_LAYOUT).get(`${OPERATOR}/helmrelease.yaml`)!.replaceAll('${CNPG_OPERATOR_REPLICAS}', '2');
      return (parse(text, { version: '1.1' }) as { spec: { values: { config: Record<string, unknown> } } }).spec.values.config;
    };
    expect(values(true)).toEqual({ clusterWide: true, data: { ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: 'true' } });
    expect(values(false)).toEqual({ clusterWide: true });
    // The chart renders config.data into the operator ConfigMap with toYaml; a string stays a string there.
    expect(upstreamFile('cloudnative-pg-chart-0.26.0/templates/config.yaml')).toMatch(/toYaml \.Values\.config\.data/);
    expect(upstreamFile('cloudnative-pg-chart-0.29.0/templates/config.yaml')).toMatch(/toYaml \.Values\.config\.data/);
  });

  test('stored in .yo-rc.json with the labels; a flagless rerun keeps both and changes nothing', () => {
    const repo = tmpRepo();
    const first = bin(repo, ['--yes', '--monitoring', 'prometheus-operator', '--monitoring-labels', 'release=kps', '--inplace-updates', 'true']);
    expect(first.status).toBe(0);
    const stored = (JSON.parse(read(repo, '.yo-rc.json')) as Record<string, Record<string, unknown>>)['generator-cnpg-operator'];
    expect({ labels: stored.monitoringLabels, inplace: stored.inplaceUpdates }).toEqual({ labels: { release: 'kps' }, inplace: true });
    const commits = commitCount(repo);
    const before = tree(repo);
    const second = bin(repo, ['--yes']);
    expect(second.status).toBe(0);
    expect(tree(repo)).toEqual(before);
    expect(commitCount(repo)).toBe(commits);
    expect(read(repo, `${MONITORING}/podmonitor.yaml`)).toMatch(/^    release: kps$/m);
    expect(read(repo, `${OPERATOR}/helmrelease.yaml`)).toMatch(/^        ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES: "true"$/m);
  });
});

describe('the chart\'s Kubernetes requirement', () => {
  test('recorded from the vendored Chart.yaml files, and only for charts in the version table', () => {
    for (const chart of ['0.26.0', '0.26.1', '0.29.0']) {
      const declared = /^kubeVersion:\s*"?([^"\n]+)"?\s*$/m.exec(upstreamFile(`cloudnative-pg-chart-${chart}/Chart.yaml`))?.[1] ?? null;
      expect({ chart, kubeVersion: CHART_KUBE_VERSION[chart] }).toEqual({ chart, kubeVersion: declared });
    }
    for (const chart of Object.keys(CHART_KUBE_VERSION)) expect(Object.hasOwn(CHART_TO_OPERATOR, chart) ? chart : `unknown ${chart}`).toBe(chart);
  });

  test('kubeRequirement names what is above 1.28 and nothing else', () => {
    expect(kubeRequirement('0.29.0')).toBe('chart 0.29.0 needs Kubernetes >= 1.29');
    expect(kubeRequirement('0.26.0')).toBeUndefined();
    expect(kubeRequirement('0.27.0')).toBeUndefined(); // not checked: nothing claimed
    expect(kubeRequirement('9.9.9')).toBeUndefined();
  });

  test('a run with chart 0.29.0 prints the requirement and exits 0', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes', '--chart-version', '0.29.0']);
    expect(r.status).toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).toContain('chart 0.29.0 needs Kubernetes >= 1.29');
    const quiet = bin(tmpRepo(), ['--yes', '--chart-version', '0.26.1']);
    expect(`${quiet.stdout}\n${quiet.stderr}`).not.toMatch(/needs Kubernetes/);
  });
});
