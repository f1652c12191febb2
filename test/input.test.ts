/** Issues 2 and 4: every bad value is refused with one line naming the flag; nothing is written or committed. */
import { describe, expect, test } from '@jest/globals';
import { CLUSTER_SETTINGS, bin, commitCount, tmpRepo, tree, writeFile } from './helpers/repo.js';
import ejs from 'ejs';
import { renderTemplate } from '../src/core/render.js';
import { yamlScalar } from '../src/core/yaml-scalar.js';
import { parse, parseAllDocuments } from 'yaml';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/repo.js';
import { parseDoorArgs } from '../src/cli/door.js';
import { ACTIONS, DEFAULT_RUN_OPTIONS, type SettingKey, doorOptions, helpText, parseSetting } from '../src/core/settings.js';
import { didYouMean, editDistance } from '../src/core/suggest.js';

const HOSTILE = [
  '',
  ' ',
  '../x',
  '/abs',
  'a\nb',
  'a"b',
  "a'b",
  'a:b',
  'a#b',
  '${CNPG_OPERATOR_VERSION}',
  '$(rm -rf /)',
  'a;b',
  'a|b',
  '`x`',
  'ünïcode',
  'x'.repeat(300),
  'a\n---\nkind: Secret',
  '&anchor x',
  '*alias',
  '- x',
  '{a: 1}',
];

const BAD: Record<string, string[]> = {
  '--cluster': [...HOSTILE, 'Infra', 'a_b', '-infra', 'infra,', ',,'],
  '--namespace': [...HOSTILE, 'CNPG', 'cnpg.system', 'x'.repeat(64)],
  '--operator-namespace': ['../etc', 'A'],
  '--replicas': [...HOSTILE, '0', '11', '-1', '2.5', '1e1', 'two', '0x2', '02x', '100'],
  '--chart-version': [...HOSTILE, 'latest', '0.26', '0.26.x', '^0.26.0', '~0.26.0', 'v0.26.0', '0.26.0-rc1', '>=0.26.0', '1.27.0', '00.26.0'],
  '--storage-class': [...HOSTILE, 'Fast', 'fast_ssd', 'fast..ssd', '.fast'],
  '--monitoring': [...HOSTILE, 'prometheus', 'VictoriaMetrics', 'victoria-metrics,none'],
  '--depends-on': ['a,B', 'a b', '../x', 'a/b', '${X}', 'a\nb', 'ünï'],
};

function refused(args: string[], flag: string) {
  const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
  const before = tree(repo);
  const r = bin(repo, ['--yes', ...args]);
  expect({ args, status: r.status, stderr: r.stderr.split('\n')[0].slice(0, 12) }).toEqual({ args, status: 2, stderr: 'cnpg-operato' });
  const lines = r.stderr.trim().split('\n');
  expect({ args, lines: lines.length }).toEqual({ args, lines: 1 });
  expect(lines[0]).toContain(flag);
  expect(lines[0]).toMatch(/valid|must|operator version|use chart/);
  expect(tree(repo)).toEqual(before);
  expect(commitCount(repo)).toBe(1);
}

describe('bad values are refused before anything is written', () => {
  for (const [flag, values] of Object.entries(BAD)) {
    test(`${flag}: ${values.length} bad values`, () => {
      for (const v of values) refused([flag, v], flag);
    });
  }

  test('an operator version in the chart slot names the chart that ships it', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes', '--chart-version', '1.27.1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--chart-version "1.27.1": 1.27.1 is an operator version, not a chart version: use chart 0.26.1');
  });

  test('an unknown flag is refused with exit 2', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes', '--replica', '2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--replica'/);
  });

  test('both spellings of the namespace flag at once are refused', () => {
    const r = bin(tmpRepo(), ['--yes', '--namespace', 'a', '--operator-namespace', 'b']);
    expect(r.status).toBe(2);
  });
});

describe('broken inputs in the repo are refused with the file name, nothing written', () => {
  const cases: [string, string, string, RegExp][] = [
    ['.yo-rc.json', '{ "generator-cnpg-operator": ', '.yo-rc.json', /\.yo-rc\.json: is not valid JSON/],
    ['.yo-rc.json', '{ "generator-cnpg-operator": { "replicas": 99 } }', '.yo-rc.json', /\.yo-rc\.json: .*replicas.*integer from 1 to 10/],
    ['.yo-rc.json', '{ "generator-cnpg-operator": { "namespace": "../../etc" } }', '.yo-rc.json', /\.yo-rc\.json: .*namespace/],
    ['kubernetes/clusters/infra/cluster-settings.yaml', 'data: [unclosed\n', 'cluster-settings.yaml', /cluster-settings\.yaml:\d+: /],
    ['kubernetes/clusters/infra/cluster-settings.yaml', CLUSTER_SETTINGS.replace('kind: ConfigMap', 'kind: Secret'), 'cluster-settings.yaml', /cluster-settings\.yaml.*Secret/],
    ['kubernetes/clusters/infra/cluster-settings.yaml', CLUSTER_SETTINGS + '  CLUSTER_NAME: "again"\n', 'cluster-settings.yaml', /cluster-settings\.yaml:\d+: .*duplicate/i],
    ['kubernetes/clusters/infra/cluster-settings.yaml', '', 'cluster-settings.yaml', /cluster-settings\.yaml.*empty/],
    ['bootstrap/helmfile.d/00-crds.yaml', 'releases:\n  - name: a\n  - name: [\n', '00-crds.yaml', /00-crds\.yaml:\d+: /],
    ['bootstrap/helmfile.d/00-crds.yaml', 'releases:\n  - name: a\n    name: b\n', '00-crds.yaml', /00-crds\.yaml:\d+: .*duplicate/i],
  ];
  for (const [file, content, shown, pattern] of cases) {
    test(`${file}: ${JSON.stringify(content.slice(0, 40))}`, () => {
      const repo = tmpRepo({ [file]: content });
      const before = tree(repo);
      const r = bin(repo, ['--yes']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(shown);
      expect(r.stderr).toMatch(pattern);
      // One line, naming the file once.
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.split(shown)).toHaveLength(2);
      expect(tree(repo)).toEqual(before);
      expect(commitCount(repo)).toBe(1);
    });
  }
});

describe('values cannot inject', () => {
  test('the one serialiser turns hostile strings into one inert scalar or refuses them', () => {
    for (const v of ['a: b', 'x\n---\nkind: Secret', '&a x', '*a', '- x', '{a: 1}', '[1]', 'yes', 'on', 'null', '0.26', '1e3', '#c', "it's", 'ü', '\u2028', 'a\tb', '"q"']) {
      const line = `key: ${yamlScalar(v)}\n`;
      const docs = parseAllDocuments(line);
      expect(docs).toHaveLength(1);
      expect(docs[0].errors).toEqual([]);
      expect(parse(line)).toEqual({ key: v });
      expect(line.split('\n')).toHaveLength(2);
    }
    for (const v of ['${X}', '${CNPG_OPERATOR_VERSION', 'a${HOME}b']) expect(() => yamlScalar(v)).toThrow(/Flux substitution/);
    expect(yamlScalar('${CNPG_OPERATOR_REPLICAS}')).toBe("'${CNPG_OPERATOR_REPLICAS}'");
  });

  test('templates never print raw values (no <%- tags)', () => {
    const dir = path.join(ROOT, 'templates');
    for (const f of readdirSync(dir)) expect({ f, raw: readFileSync(path.join(dir, f), 'utf8').includes('<%-') }).toEqual({ f, raw: false });
  });

  test('the templates compiled at build time render exactly what ejs renders from templates/*.ejs', () => {
    const dir = path.join(ROOT, 'templates');
    const names = readdirSync(dir).filter((f) => f.endsWith('.ejs'));
    expect(names.length).toBeGreaterThanOrEqual(8);
    const cases = [
      { namespace: 'cnpg-system', monitoring: 'victoria-metrics', dependsOn: [], resources: ['namespace.yaml', 'helmrelease.yaml'], monitoringLabels: {}, inplaceUpdates: false, clustersRolloutDelay: null, instancesRolloutDelay: null, layout: 'infrastructure', replicas: 2, chartVersion: '0.26.0', flux: [{ name: 'a', path: './x', part: 'operator', dependsOn: [] }, { name: 'b', path: './y', part: 'monitoring', dependsOn: ['a'] }] },
      { namespace: 'db ops', monitoring: 'none', dependsOn: ['a', 'b: c'], resources: [], monitoringLabels: { 'a: b': 'c\nd: e' }, inplaceUpdates: true, clustersRolloutDelay: 0, instancesRolloutDelay: 86400, layout: 'apps', replicas: 3, chartVersion: '0.26.1', flux: [{ name: 'a', path: './x', part: 'operator', dependsOn: [] }, { name: 'b', path: './y', part: 'monitoring', dependsOn: ['a'] }] },
      { namespace: "it's", monitoring: 'prometheus', dependsOn: ['x'], resources: ['pdb.yaml'], monitoringLabels: { release: "it's" }, inplaceUpdates: false, clustersRolloutDelay: 60, instancesRolloutDelay: null, layout: 'apps', replicas: 1, chartVersion: "1.0.0: x", flux: [{ name: 'a', path: './x', part: 'operator', dependsOn: [] }, { name: 'b', path: './y', part: 'monitoring', dependsOn: ['a'] }] },
    ];
    for (const name of names) {
      for (const data of cases) {
        const text = readFileSync(path.join(dir, name), 'utf8');
        const expected = ejs.render(text, data, { escape: yamlScalar, strict: true, destructuredLocals: Object.keys(data), filename: name });
        expect({ name, out: renderTemplate(name, data) }).toEqual({ name, out: expected });
      }
    }
    expect(() => renderTemplate('pdb.yaml.ejs', { namespace: 'x' })).toThrow(/template variables/);
  });

  test('a stored answer built to add a key is refused, not written', () => {
    const repo = tmpRepo({ '.yo-rc.json': JSON.stringify({ 'generator-cnpg-operator': { storageClass: 'x"\n  EVIL: "1' } }) });
    const before = tree(repo);
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.yo-rc\.json: .*storageClass/);
    expect(tree(repo)).toEqual(before);
  });
});

describe('the doors parse each flag once, from the table', () => {
  test('parseDoorArgs gives typed answers and RunOptions through the table', () => {
    const d = parseDoorArgs('bin', ['--yes', '--no-commit', '--replicas', '3', '--cluster', 'a,b', '--depends-on', '', '-C', '/x']);
    expect(d.flags).toEqual({ replicas: 3, cluster: ['a', 'b'], dependsOn: [] });
    expect(d.options).toEqual({ ...DEFAULT_RUN_OPTIONS, yes: true, commit: false });
    expect(d.directory).toEqual({ value: '/x', given: '-C' });
  });

  test('every RunOptions field is set by exactly one action, and every option is in both helps', () => {
    const fields = ACTIONS.flatMap((a) => (a.run ? [a.run] : [])).sort();
    expect(fields).toEqual(Object.keys(DEFAULT_RUN_OPTIONS).sort());
    for (const door of ['bin', 'yeoman'] as const) {
      const help = helpText('x', door);
      for (const o of doorOptions(door)) expect({ door, o: o.name, inHelp: help.includes(`--${o.name}`) }).toEqual({ door, o: o.name, inHelp: true });
    }
    expect(doorOptions('bin').map((o) => o.name)).not.toContain('interactive');
    expect(doorOptions('yeoman').map((o) => o.name)).toContain('interactive');
  });

  test('parsing an already parsed value gives the same value (the core may parse flags again)', () => {
    const valid: [SettingKey, string][] = [
      ['cluster', 'infra,apps'],
      ['namespace', 'cnpg-system'],
      ['replicas', '10'],
      ['chartVersion', '0.26.1'],
      ['storageClass', 'fast.ssd'],
      ['monitoring', 'none'],
      ['dependsOn', ''],
      ['dependsOn', 'a,b'],
    ];
    for (const [key, raw] of valid) {
      const once = parseSetting(key, raw);
      expect({ key, raw, twice: parseSetting(key, once) }).toEqual({ key, raw, twice: once });
    }
  });

  test('"did you mean" picks the near name, and nothing for a far one', () => {
    const names = doorOptions('bin').map((o) => o.name);
    const cases: [string, string | undefined][] = [
      ['replica', 'replicas'],
      ['chart', 'chart-version'],
      ['namepsace', 'namespace'],
      ['storageclass', 'storage-class'],
      ['jsno', 'json'],
      ['dryrun', 'dry-run'],
      ['foo', undefined],
      ['x', undefined],
    ];
    for (const [typed, expected] of cases) expect({ typed, near: didYouMean(typed, names) }).toEqual({ typed, near: expected });
    expect(editDistance('abc', 'acb')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
