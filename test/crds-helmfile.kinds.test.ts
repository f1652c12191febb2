/**
 * Issue 14, "a neighbouring chart": the CRD helmfile often holds other charts of the same registry path family,
 * e.g. the Barman Cloud plugin (oci://ghcr.io/cloudnative-pg/charts/plugin-barman-cloud). Only the operator's
 * release is ours: it is read and changed, the plugin's release is neither read as our version nor touched.
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { patchCrdsHelmfile, readCrdsHelmfileVersion } from '../src/core/patch/crds-helmfile.js';
import { CNPG_CHART_URL, RENOVATE_COMMENT } from '../src/core/versions.js';
import { CRDS, YO_RC, changeOf, changedLines, clusterSettings, planFor, resolve, settingsPath, yoRc } from './helpers/core.js';

const PLUGIN_CHART = 'oci://ghcr.io/cloudnative-pg/charts/plugin-barman-cloud';
const PLUGIN_RENOVATE = '# renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/plugin-barman-cloud';
const HEADER = '---\nhelmDefaults:\n  args: ["--include-crds", "--no-hooks"]\n---\nreleases:\n';
const plugin = (version: string): string =>
  `  - name: plugin-barman-cloud\n    namespace: cnpg-system\n    chart: ${PLUGIN_CHART}\n    ${PLUGIN_RENOVATE}\n    version: ${version}\n`;
const operator = (version: string, renovate = true): string =>
  `  - name: cloudnative-pg\n    namespace: cnpg-system\n    chart: ${CNPG_CHART_URL}\n${renovate ? `    ${RENOVATE_COMMENT}\n` : ''}    version: ${version}\n`;

/** The releases of a helmfile text as name -> { chart, version }. */
function releases(text: string): Record<string, { chart: string; version: string }> {
  const docs = text.split(/^---$/m).map((d) => parse(d)).filter((d) => d && d.releases);
  return Object.fromEntries(docs.flatMap((d) => d.releases).map((r: Record<string, string>) => [r.name, { chart: r.chart, version: String(r.version) }]));
}

describe('a neighbouring chart in the CRD helmfile', () => {
  test.each([
    ['plugin first', HEADER + plugin('0.30.0') + operator('0.26.0')],
    ['operator first', HEADER + operator('0.26.0') + plugin('0.30.0')],
  ])('%s: the operator version is read from the operator release, not from the plugin (which is higher)', (_, text) => {
    expect(readCrdsHelmfileVersion(text, CRDS)).toBe('0.26.0');
  });

  test('a helmfile with only the plugin has no operator version', () => {
    expect(readCrdsHelmfileVersion(HEADER + plugin('0.5.0'), CRDS)).toBeUndefined();
  });

  test.each([
    ['plugin first', HEADER + plugin('0.30.0') + operator('0.26.0'), HEADER + plugin('0.30.0') + operator('0.26.1')],
    ['operator first', HEADER + operator('0.26.0') + plugin('0.30.0'), HEADER + operator('0.26.1') + plugin('0.30.0')],
  ])('%s: a bump changes exactly the operator version line', (_, before, want) => {
    const after = patchCrdsHelmfile(before, CRDS, '0.26.1');
    expect(after).toBe(want);
    expect(changedLines(before, after)).toEqual(['-    version: 0.26.0', '+    version: 0.26.1']);
  });

  test('the operator release without a renovate comment gets ours; the plugin keeps its own', () => {
    const before = HEADER + plugin('0.30.0') + operator('0.26.0', false);
    expect(patchCrdsHelmfile(before, CRDS, '0.26.1')).toBe(HEADER + plugin('0.30.0') + operator('0.26.1'));
  });

  test('a helmfile with only the plugin gets an operator release after it, and the plugin stays byte for byte', () => {
    const before = HEADER + plugin('0.5.0');
    const after = patchCrdsHelmfile(before, CRDS, '0.26.1');
    expect(after).toBe(HEADER + plugin('0.5.0') + operator('0.26.1'));
    expect(releases(after)).toEqual({
      'plugin-barman-cloud': { chart: PLUGIN_CHART, version: '0.5.0' },
      'cloudnative-pg': { chart: CNPG_CHART_URL, version: '0.26.1' },
    });
  });

  test('an operator release at the wanted version leaves the file (plugin included) unchanged', () => {
    const text = HEADER + plugin('0.30.0') + operator('0.26.1');
    expect(patchCrdsHelmfile(text, CRDS, '0.26.1')).toBe(text);
  });

  test('a second cloudnative-pg release is ambiguous, but the plugin never counts as one', () => {
    expect(() => readCrdsHelmfileVersion(HEADER + operator('0.26.0') + operator('0.26.1'), CRDS)).toThrow(/ambiguous: 2 releases look like the CloudNativePG release \(lines 6, 11\)/);
    expect(() => readCrdsHelmfileVersion(HEADER + plugin('0.1.0') + operator('0.26.0') + plugin('0.2.0').replace('plugin-barman-cloud\n', 'plugin-other\n'), CRDS)).not.toThrow();
  });
});

describe('a neighbouring chart, through the census, the answers and the plan', () => {
  test('the plugin version is not the repo chart version: the cluster value wins, no downgrade refusal', () => {
    const files = { [settingsPath('infra')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.26.0' }), [CRDS]: HEADER + plugin('0.30.0') + operator('0.26.0') };
    const r = resolve({ files, flags: { chartVersion: '0.26.1' } });
    expect(r.settings.chartVersion).toEqual({ value: '0.26.1', source: 'flag' });
    expect(r.previousVersion).toBe('0.26.0');
    expect(resolve({ files }).settings.chartVersion).toEqual({ value: '0.26.0', source: 'repo', file: settingsPath('infra') });
  });

  test('only the plugin in the helmfile: the chart comes from the default, not from the plugin', () => {
    const r = resolve({ files: { [CRDS]: HEADER + plugin('0.30.0') } });
    expect(r.settings.chartVersion).toEqual({ value: '0.26.0', source: 'default' });
    expect(r.previousVersion).toBeUndefined();
  });

  test('a bump plans one changed line in the helmfile and names the operator versions in the commit', () => {
    const crds = HEADER + plugin('0.30.0') + operator('0.26.0');
    const { plan } = planFor({
      files: { [settingsPath('infra')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.26.0' }), [CRDS]: crds, [YO_RC]: yoRc({ chartVersion: '0.26.0' }) },
      flags: { chartVersion: '0.26.1' },
    });
    const c = changeOf(plan, CRDS);
    expect(c.status).toBe('updated');
    expect(changedLines(crds, c.after!)).toEqual(['-    version: 0.26.0', '+    version: 0.26.1']);
    expect(plan.commitMessage.split('\n')[0]).toBe('chore(databases): bump CloudNativePG operator chart 0.26.0 -> 0.26.1 (operator 1.27.0 -> 1.27.1)');
  });

  test('a plugin-only helmfile: the plan adds the operator release and keeps the plugin', () => {
    const crds = HEADER + plugin('0.30.0');
    const { plan } = planFor({ files: { [CRDS]: crds }, flags: { chartVersion: '0.26.1' } });
    const c = changeOf(plan, CRDS);
    expect(c.status).toBe('updated');
    expect(c.after).toBe(crds + operator('0.26.1'));
  });
});
