/**
 * Issue 14, "a neighbouring chart": the CRD helmfile often holds other charts of the same registry path family,
 * e.g. the Barman Cloud plugin (oci://ghcr.io/cloudnative-pg/charts/plugin-barman-cloud). Only the operator's
 * release is ours: it is read and changed, the plugin's release is neither read as our version nor touched.
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { FileError } from '../src/core/errors.js';
import { patchCrdsHelmfile, readCrdsHelmfileNamespace, readCrdsHelmfileVersion } from '../src/core/patch/crds-helmfile.js';
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

// ---------------------------------------------------------------------------------------------------------------
// CRD helmfile: the other kinds of file a user may have (issue 14, mutation run of patch/crds-helmfile.ts)
// ---------------------------------------------------------------------------------------------------------------

const HF = 'h.yaml';
const RELEASE = (indent = '  ', version = '0.26.1', namespace = 'cnpg-system', gap = ' '): string =>
  [
    `${indent}-${gap}name: cloudnative-pg`,
    `${indent} ${gap}namespace: ${namespace}`,
    `${indent} ${gap}chart: ${CNPG_CHART_URL}`,
    `${indent} ${gap}${RENOVATE_COMMENT}`,
    `${indent} ${gap}version: ${version}`,
  ].join('\n') + '\n';

function refusalOf(fn: () => unknown): { error: string; message: string; line: number | undefined } {
  try {
    fn();
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message, line: (e as FileError).line };
  }
  throw new Error('no error thrown');
}

describe('CRD helmfile: files that are not what we expect are refused, naming the line', () => {
  test.each([
    ['a list', '- a\n', `${HF}:1: is not a helmfile: a YAML document is not a mapping`],
    ['a later document that is a list', 'helmDefaults: {}\n---\n- b\n', `${HF}:3: is not a helmfile: a YAML document is not a mapping`],
    ['releases that is a string', 'releases: x\n', `${HF}:1: releases is not a sequence`],
    ['releases that is a mapping', 'releases:\n  a: b\n', `${HF}:2: releases is not a sequence`],
  ])('%s (read and patched alike)', (_, text, message) => {
    const line = Number(/^h\.yaml:(\d+):/.exec(message)![1]);
    expect(refusalOf(() => patchCrdsHelmfile(text, HF, '0.26.1'))).toEqual({ error: 'FileError', message, line });
    expect(refusalOf(() => readCrdsHelmfileVersion(text, HF))).toEqual({ error: 'FileError', message, line });
    expect(refusalOf(() => readCrdsHelmfileNamespace(text, HF))).toEqual({ error: 'FileError', message, line });
  });

  test.each([
    ['our release as a flow mapping in a flow list', 'releases: [{name: cloudnative-pg, chart: x/cloudnative-pg}]\n', `${HF}:1: the CloudNativePG release is a flow mapping ({...}); write it as a block mapping`],
    ['our release as a flow mapping', 'releases:\n  - name: a\n    chart: a/a\n  - {name: cloudnative-pg, chart: x/cloudnative-pg}\n', `${HF}:4: the CloudNativePG release is a flow mapping ({...}); write it as a block mapping`],
    ['a flow list to add our release to', 'helmDefaults: {}\nreleases: [{name: other}]\n', `${HF}:2: releases is a flow sequence ([...]); write it as a block list to let it be edited`],
    ['a version that is a list', 'releases:\n  - name: cnpg\n    chart: x/cloudnative-pg\n    version: [1]\n', `${HF}:4: version must be a single string value, found a sequence`],
    ['a version written as a block scalar', 'releases:\n  - name: cnpg\n    chart: x/cloudnative-pg\n    version: |\n      0.26.0\n', `${HF}:4: version uses a block scalar (| or >); write it on one line`],
    ['a chart with a tag', 'releases:\n  - name: cloudnative-pg-crds\n    chart: !!binary eA==\n', `${HF}:3: chart has the explicit tag tag:yaml.org,2002:binary; remove it`],
    ['two of our releases in two documents', 'releases:\n  - name: cloudnative-pg-crds\n---\nreleases:\n  - name: x\n    chart: x/cloudnative-pg\n', `${HF}:2: ambiguous: 2 releases look like the CloudNativePG release (lines 2, 5); keep only one`],
  ])('patching %s', (_, text, message) => {
    const line = Number(/^h\.yaml:(\d+):/.exec(message)![1]);
    expect(refusalOf(() => patchCrdsHelmfile(text, HF, '0.26.1'))).toEqual({ error: 'FileError', message, line });
  });

  test('an empty version or namespace from the generator is a programming error', () => {
    expect(() => patchCrdsHelmfile('releases: []\n', HF, '')).toThrow(new Error('internal error: chart version must be a non-empty string, got ""'));
    expect(() => patchCrdsHelmfile('releases: []\n', HF, '0.26.1', '')).toThrow(new Error('internal error: namespace must be a non-empty string, got ""'));
    expect(() => patchCrdsHelmfile(undefined, HF, '')).toThrow('internal error: chart version must be');
  });
});

describe('CRD helmfile: which release is ours, and what is read from it', () => {
  test.each([
    ['named cloudnative-pg-crds, any chart', '  - name: cloudnative-pg-crds\n    chart: mirror/pg\n    version: 1.0.0\n', '1.0.0'],
    ['the main chart URL', `  - name: db\n    chart: ${CNPG_CHART_URL}\n    version: 1.0.0\n`, '1.0.0'],
    ['a repo/cloudnative-pg chart', '  - name: db\n    chart: cnpg/cloudnative-pg\n    version: 1.0.0\n', '1.0.0'],
    ['a -crds chart with trailing slashes', '  - name: db\n    chart: x/cloudnative-pg-crds//\n    version: 1.0.0\n', '1.0.0'],
    ['a quoted URL with spaces and a slash', `  - name: db\n    chart: " ${CNPG_CHART_URL}/ "\n    version: 1.0.0\n`, '1.0.0'],
    ['a plain version as written', '  - name: db\n    chart: cnpg/cloudnative-pg\n    version: 0.26.10\n', '0.26.10'],
    ['a quoted version', "  - name: db\n    chart: cnpg/cloudnative-pg\n    version: '0.26.0'\n", '0.26.0'],
    ['a release without a name', '  - chart: cnpg/cloudnative-pg\n    version: 1.0.0\n', '1.0.0'],
    ['a chart whose name only starts like ours', '  - name: db\n    chart: x/cloudnative-pgx\n    version: 1.0.0\n', undefined],
    ['a chart that is no string', '  - name: db\n    chart: {a: b}\n    version: 1.0.0\n', undefined],
    ['a release named cloudnative-pg without a chart', '  - name: cloudnative-pg\n    version: 1.0.0\n', undefined],
    ['no version', '  - name: db\n    chart: cnpg/cloudnative-pg\n', undefined],
    ['a blank version', '  - name: db\n    chart: cnpg/cloudnative-pg\n    version:\n', undefined],
    ['a version that is a list', '  - name: db\n    chart: cnpg/cloudnative-pg\n    version: [1]\n', undefined],
    ['a release that is a string', '  - cloudnative-pg\n', undefined],
  ])('%s', (_, release, version) => {
    expect(readCrdsHelmfileVersion(`releases:\n${release}`, HF)).toBe(version);
  });

  test('the namespace as written, or undefined', () => {
    const ns = (release: string): string | undefined => readCrdsHelmfileNamespace(`releases:\n${release}`, HF);
    expect(ns('  - name: cloudnative-pg-crds\n    namespace: db\n')).toBe('db');
    expect(ns('  - name: cloudnative-pg-crds\n')).toBeUndefined();
    expect(ns('  - name: cloudnative-pg-crds\n    namespace: 5\n')).toBeUndefined();
    expect(ns('  - name: other\n    namespace: db\n')).toBeUndefined();
    expect(readCrdsHelmfileNamespace('', HF)).toBeUndefined();
  });
});

describe('CRD helmfile: our release, edited in place', () => {
  test.each([
    ['a blank chart and version are filled after their colons', '  - name: cloudnative-pg-crds\n    chart:\n    version:\n', `  - name: cloudnative-pg-crds\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    version: 0.26.1\n`],
    ['explicit chart and version keys without values get `: value` lines', '  - name: cloudnative-pg-crds\n    ? chart\n    ? version\n    namespace: x\n', `  - name: cloudnative-pg-crds\n    ? chart\n    : ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    ? version\n    : 0.26.1\n    namespace: x\n`],
    ['~ chart and version are replaced', '  - name: cloudnative-pg-crds\n    chart: ~\n    version: ~ # v\n', `  - name: cloudnative-pg-crds\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    version: 0.26.1 # v\n`],
    ['a right version in single quotes stays; the comment is added', `  - name: cloudnative-pg-crds\n    chart: '${CNPG_CHART_URL}'\n    version: '0.26.1'\n`, `  - name: cloudnative-pg-crds\n    chart: '${CNPG_CHART_URL}'\n    ${RENOVATE_COMMENT}\n    version: '0.26.1'\n`],
    ['a double-quoted version keeps its quotes', '  - name: db\n    chart: cnpg/cloudnative-pg\n    version: "0.25.0"\n', `  - name: db\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    version: "0.26.1"\n`],
    ['another comment above version stays, ours goes between', `  - name: db\n    chart: ${CNPG_CHART_URL}\n    # pinned for now\n    version: 0.26.1\n`, `  - name: db\n    chart: ${CNPG_CHART_URL}\n    # pinned for now\n    ${RENOVATE_COMMENT}\n    version: 0.26.1\n`],
    ['our comment with trailing spaces is ours', `  - name: db\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}  \n    version: 0.26.1\n`, `  - name: db\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}  \n    version: 0.26.1\n`],
    ['a stale renovate comment is replaced in place, keeping its indentation and trailing spaces', `  - name: db\n    chart: ${CNPG_CHART_URL}\n      # renovate: depName=old  \n    version: 0.26.1\n`, `  - name: db\n    chart: ${CNPG_CHART_URL}\n      ${RENOVATE_COMMENT}  \n    version: 0.26.1\n`],
    ['the chart first, no version: version after the chart line', '  - chart: cnpg/cloudnative-pg # main\n    name: db\n', `  - chart: ${CNPG_CHART_URL} # main\n    ${RENOVATE_COMMENT}\n    version: 0.26.1\n    name: db\n`],
    ['a chart over two lines is replaced whole, the version goes after its last line', '  - name: cloudnative-pg-crds\n    chart: old\n      chart\n    namespace: x\n', `  - name: cloudnative-pg-crds\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    version: 0.26.1\n    namespace: x\n`],
    ['a version that needs quotes', '  - name: db\n    chart: cnpg/cloudnative-pg\n    version: 0.25.0\n', `  - name: db\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    version: "1.0"\n`, '1.0'],
  ])('%s', (_, release, want, version = '0.26.1') => {
    const before = `releases:\n${release}`;
    const after = patchCrdsHelmfile(before, HF, version);
    expect(after).toBe(`releases:\n${want}`);
    expect(readCrdsHelmfileVersion(after, HF)).toBe(version);
    expect(patchCrdsHelmfile(after, HF, version)).toBe(after);
  });
});

test('CRD helmfile: a chart and version already right but written with escapes are left byte for byte', () => {
  const text = `releases:\n  - name: db\n    chart: "oci:\\/\\/ghcr.io/cloudnative-pg/charts/cloudnative-pg"\n    ${RENOVATE_COMMENT}\n    version: "0.26.\\x31"\n`;
  expect(readCrdsHelmfileVersion(text, HF)).toBe('0.26.1');
  expect(patchCrdsHelmfile(text, HF, '0.26.1')).toBe(text);
});

describe('CRD helmfile: a new release, where a person would put it', () => {
  test.each([
    ['after a string item: two spaces after the dash', 'releases:\n  - some string\n', `releases:\n  - some string\n${RELEASE()}`],
    ['after a flow mapping item', 'releases:\n  - {name: x, chart: y}\n', `releases:\n  - {name: x, chart: y}\n${RELEASE()}`],
    ['after a wide dash gap, with the same gap', 'releases:\n    -   name: x\n        chart: y\n', `releases:\n    -   name: x\n        chart: y\n${RELEASE('    ', '0.26.1', 'cnpg-system', '   ')}`],
    ['releases: ~', 'releases: ~\n', `releases:\n${RELEASE()}`],
    ['an empty flow list over two lines', 'releases: [\n  ]\nx: 1\n', `releases:\n${RELEASE()}x: 1\n`],
    ['an empty releases with a comment, before the next key', 'releases: # c\nx: 1\n', `releases: # c\n${RELEASE()}x: 1\n`],
    ['an indented root', '  releases:\n', `  releases:\n${RELEASE('    ')}`],
    ['a releases key that is not at the root is not ours: a new document', 'a:\n  releases:\n', `a:\n  releases:\n---\nreleases:\n${RELEASE()}`],
    ['the last releases block of several documents', 'releases:\n  - name: x\n---\nreleases: []\n', `releases:\n  - name: x\n---\nreleases:\n${RELEASE()}`],
    ['a list at the end of a file without a final newline', 'releases:\n  - name: x', `releases:\n  - name: x\n${RELEASE().trimEnd()}`],
    ['CRLF', 'releases:\r\n  - name: x\r\n', `releases:\r\n  - name: x\r\n${RELEASE().replace(/\n/g, '\r\n')}`],
    ['a namespace and version that need quotes', 'releases: []\n', `releases:\n${RELEASE('  ', '"1.0"', '"yes"')}`, '1.0', 'yes'],
    ['a namespace of ours', 'releases: []\n', `releases:\n${RELEASE('  ', '0.26.1', 'db')}`, '0.26.1', 'db'],
  ])('%s', (_, before, want, version = '0.26.1', namespace = 'cnpg-system') => {
    const after = patchCrdsHelmfile(before, HF, version, namespace);
    expect(after).toBe(want);
    expect(readCrdsHelmfileVersion(after, HF)).toBe(version);
    expect(patchCrdsHelmfile(after, HF, version, namespace)).toBe(after);
  });

  test('a new file names itself in the header and quotes what needs it', () => {
    const out = patchCrdsHelmfile(undefined, 'x/00-crds.yaml', '1.0', 'yes');
    expect(out.split('\n').slice(1, 2)).toEqual(['#   helmfile --file x/00-crds.yaml template --quiet \\']);
    expect(out.endsWith(`---\nreleases:\n${RELEASE('  ', '"1.0"', '"yes"')}`)).toBe(true);
  });
});
