/**
 * Issue 14: what the census makes of stored answers and of cluster files a user broke, by the message a user reads.
 * A bad .yo-rc.json is refused naming the file and the key; a broken cluster file that is not a target is
 * skipped with a warning.
 */
import { describe, expect, test } from '@jest/globals';
import { censusOf, clusterOf, loadStored, ownedPaths } from '../src/core/census.js';
import { FileError } from '../src/core/errors.js';
import { INFRASTRUCTURE as L } from '../src/core/layout.js';

const P = 'generator-cnpg-operator';
const j = (section: unknown): string => JSON.stringify({ [P]: section });

describe('loadStored', () => {
  test.each([undefined, '', ' \n', '{}', JSON.stringify({ 'generator-other': { a: 1 } })])('%j holds no answers of ours', (text) => {
    expect(loadStored(text)).toBeUndefined();
  });

  test.each([
    ['[]', '.yo-rc.json: must hold a JSON object'],
    ['null', '.yo-rc.json: must hold a JSON object'],
    ['x', '.yo-rc.json: is not valid JSON ('],
    [JSON.stringify({ [P]: 'x' }), `.yo-rc.json: "${P}" must be a JSON object`],
    [JSON.stringify({ [P]: [] }), `.yo-rc.json: "${P}" must be a JSON object`],
    [j({ replicas: 0 }), `.yo-rc.json: "${P}.replicas" 0: must be an integer from 1 to 10`],
    [j({ clusters: [] }), `.yo-rc.json: "${P}.clusters" must be a JSON object`],
    [j({ clusters: { 'a,b': {} } }), `.yo-rc.json: "${P}.clusters.a,b": one cluster name per key`],
    [j({ clusters: { a: 1 } }), `.yo-rc.json: "${P}.clusters.a" must be a JSON object`],
    [j({ clusters: { a: { replicas: 11 } } }), `.yo-rc.json: "${P}.clusters.a.replicas" 11: must be an integer from 1 to 10`],
    [j({ clusters: { a: { storageClass: 'Bad' } } }), `.yo-rc.json: "${P}.clusters.a.storageClass" "Bad": must be a DNS-1123 subdomain`],
  ])('%s is refused: %s', (text, message) => {
    expect(() => loadStored(text)).toThrow(FileError);
    let got = '';
    try {
      loadStored(text);
    } catch (e) {
      got = (e as Error).message;
    }
    expect(got.startsWith(message)).toBe(true);
  });

  test('values are parsed like flags, unknown keys ignored, the generator version kept only as a string', () => {
    expect(loadStored(j({ replicas: '3', cluster: 'a,b', generatorVersion: 2 }))).toEqual({ values: { cluster: ['a', 'b'], replicas: 3 }, clusters: {} });
    expect(loadStored(j({ clusters: { a: { replicas: 3, storageClass: 'x', other: 1 }, b: {} }, generatorVersion: '1.2.3', unknown: 5 }))).toEqual({
      values: {},
      clusters: { a: { replicas: 3, storageClass: 'x' }, b: {} },
      generatorVersion: '1.2.3',
    });
  });
});

describe('censusOf', () => {
  const files = new Map<string, string | undefined>(ownedPaths(L).map((p) => [p, undefined]));
  files.set(L.clusterSettingsPath('bad'), 'kind: Secret\n');
  files.set(L.clusterSettingsPath('ok'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  CNPG_OPERATOR_VERSION: "1.27.1"\n  CNPG_OPERATOR_REPLICAS: "x"\n  BLOCK_SC: "fast"\n');
  files.set(L.crdsHelmfile, 'releases:\n  - name: cloudnative-pg-crds\n    version: latest\n');
  const c = censusOf(L, files, ['bad', 'ok', 'missing']);

  test('a broken cluster file: its error is kept and a warning says it is skipped', () => {
    const bad = clusterOf(c, 'bad');
    expect([bad.exists, bad.data, bad.version]).toEqual([true, {}, undefined]);
    expect(bad.error?.message).toBe(`${L.clusterSettingsPath('bad')}:1: is a Secret, not a ConfigMap; expected a ConfigMap named cluster-settings in namespace flux-system`);
    expect(c.warnings).toEqual([`${bad.error!.message} (skipped in the version census)`]);
  });

  test('an operator version is read as its chart with a note; an invalid value keeps only its raw text', () => {
    const ok = clusterOf(c, 'ok');
    expect(ok.version).toEqual({ raw: '1.27.1', file: ok.file, chart: '0.26.1', note: `${ok.file}: 1.27.1 is an operator version, not a chart version; corrected to chart 0.26.1` });
    expect(ok.replicas).toEqual({ raw: 'x' });
    expect(ok.storageClass).toEqual({ raw: 'fast', value: 'fast' });
  });

  test('a version that is not exact has no chart, and a note', () => {
    expect(c.crds).toEqual({ raw: 'latest', file: L.crdsHelmfile, note: `${L.crdsHelmfile}: version "latest" is not an exact chart version; it will be replaced` });
  });

  test('a missing or unknown cluster is an empty entry at its path', () => {
    expect(clusterOf(c, 'missing')).toEqual({ name: 'missing', file: L.clusterSettingsPath('missing'), exists: false, data: {} });
    expect(clusterOf(c, 'zzz')).toEqual({ name: 'zzz', file: L.clusterSettingsPath('zzz'), exists: false, data: {} });
    expect(c.clusters.map((x) => x.name)).toEqual(['bad', 'ok', 'missing']);
  });
});
