/**
 * Issue 14: where missing keys are inserted (and the in-place edits around them), pinned by several cases each, in
 * the cluster settings and the CRD helmfile. Every expected text was read line by line: the user's lines stay
 * byte for byte, our lines go where a person would put them.
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { FileError } from '../src/core/errors.js';
import { patchClusterSettings } from '../src/core/patch/cluster-settings.js';
import { patchCrdsHelmfile, readCrdsHelmfileVersion } from '../src/core/patch/crds-helmfile.js';
import { readClusterSettings } from '../src/core/patch/cluster-settings.js';
import { RENOVATE_COMMENT } from '../src/core/versions.js';

const VALUES = { CNPG_OPERATOR_VERSION: '0.26.1', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'ceph-block' };

/** The input's lines, in order, are all still in the output (only value edits and insertions). */
function keepsUserLines(before: string, after: string, edited: RegExp): void {
  const kept = after.split('\n');
  let i = 0;
  for (const line of before.split('\n')) {
    if (edited.test(line)) continue;
    while (i < kept.length && kept[i] !== line) i++;
    expect([line, i < kept.length]).toEqual([line, true]);
  }
}

describe('cluster-settings: where missing keys go', () => {
  test.each([
  [
    "after the last CNPG_ key in file order, not in the order of the values (the renovate comment goes above the version)",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CNPG_OPERATOR_REPLICAS: \"3\"\n  CLUSTER_NAME: infra\n  CNPG_OPERATOR_VERSION: \"0.26.0\" # pinned\n  FILE_SC: cephfs\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CNPG_OPERATOR_REPLICAS: \"2\"\n  CLUSTER_NAME: infra\n  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n  CNPG_OPERATOR_VERSION: \"0.26.1\" # pinned\n  BLOCK_SC: \"ceph-block\"\n  FILE_SC: cephfs\n",
  ],
  [
    "a CNPG section of one key at 4 spaces continues right after it, before a blank line and the next section",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: cluster-settings\ndata:\n    CLUSTER_NAME: infra\n    CNPG_OPERATOR_REPLICAS: \"3\"\n\n    # other\n    X: y\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: cluster-settings\ndata:\n    CLUSTER_NAME: infra\n    CNPG_OPERATOR_REPLICAS: \"2\"\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    CNPG_OPERATOR_VERSION: \"0.26.1\"\n    BLOCK_SC: \"ceph-block\"\n\n    # other\n    X: y\n",
  ],
  [
    "BLOCK_SC alone is not a CNPG section: it is set in place and the CNPG keys get a new section at the end of data",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  BLOCK_SC: local\n  CLUSTER_NAME: infra\n  # trailing comment\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  BLOCK_SC: \"ceph-block\"\n  CLUSTER_NAME: infra\n\n  # CloudNativePG Operator\n  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n  CNPG_OPERATOR_VERSION: \"0.26.1\"\n  CNPG_OPERATOR_REPLICAS: \"2\"\n  # trailing comment\n",
  ],
  [
    "the new section ends data, before the next root key",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CLUSTER_NAME: infra\nimmutable: false\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CLUSTER_NAME: infra\n\n  # CloudNativePG Operator\n  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n  CNPG_OPERATOR_VERSION: \"0.26.1\"\n  CNPG_OPERATOR_REPLICAS: \"2\"\n  BLOCK_SC: \"ceph-block\"\nimmutable: false\n",
  ],
  [
    "an empty data: gets the section inside it",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\nimmutable: false\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  # CloudNativePG Operator\n  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n  CNPG_OPERATOR_VERSION: \"0.26.1\"\n  CNPG_OPERATOR_REPLICAS: \"2\"\n  BLOCK_SC: \"ceph-block\"\nimmutable: false\n",
  ],
  [
    "no data: a data block at the end, indented like metadata",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: cluster-settings\n    namespace: flux-system\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: cluster-settings\n    namespace: flux-system\ndata:\n    # CloudNativePG Operator\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    CNPG_OPERATOR_VERSION: \"0.26.1\"\n    CNPG_OPERATOR_REPLICAS: \"2\"\n    BLOCK_SC: \"ceph-block\"\n",
  ],
  ])('%s', (_, before, want) => {
    const after = patchClusterSettings(before, 'cs.yaml', VALUES);
    expect(after).toBe(want);
    expect(readClusterSettings(after, 'cs.yaml')).toMatchObject(VALUES);
    keepsUserLines(before, after, /^\s*(CNPG_OPERATOR_|BLOCK_SC)/);
    expect(patchClusterSettings(after, 'cs.yaml', VALUES)).toBe(after);
  });
});

describe('CRD helmfile: where a missing chart, version or release goes', () => {
  test.each([
  [
    "a release matched by name without a chart: the chart right after the name line",
    "releases:\n  - name: cloudnative-pg-crds\n    namespace: cnpg-system\n    version: 0.25.0\n",
    "releases:\n  - name: cloudnative-pg-crds\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    namespace: cnpg-system\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.1\n",
  ],
  [
    "neither chart nor version: both, with the renovate comment, after the name line (not after the first key)",
    "releases:\n  - namespace: cnpg-system\n    name: cloudnative-pg-crds\n    labels: {a: b}\n",
    "releases:\n  - namespace: cnpg-system\n    name: cloudnative-pg-crds\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.1\n    labels: {a: b}\n",
  ],
  [
    "an empty releases: gets the release inside it, before the next key",
    "helmDefaults:\n  wait: true\nreleases:\nrepositories: []\n",
    "helmDefaults:\n  wait: true\nreleases:\n  - name: cloudnative-pg\n    namespace: cnpg-system\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.1\nrepositories: []\n",
  ],
  [
    "no releases: a new document",
    "helmDefaults:\n  wait: true\n",
    "helmDefaults:\n  wait: true\n---\nreleases:\n  - name: cloudnative-pg\n    namespace: cnpg-system\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.1\n",
  ],
  [
    "releases at column 0: the new release follows their indentation",
    "releases:\n- name: other\n  chart: oci://x/y\n",
    "releases:\n- name: other\n  chart: oci://x/y\n- name: cloudnative-pg\n  namespace: cnpg-system\n  chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n  version: 0.26.1\n",
  ],

  ])('%s', (_, before, want) => {
    const after = patchCrdsHelmfile(before, 'h.yaml', '0.26.1');
    expect(after).toBe(want);
    expect(readCrdsHelmfileVersion(after, 'h.yaml')).toBe('0.26.1');
    keepsUserLines(before, after, /^\s*version:/);
    expect(patchCrdsHelmfile(after, 'h.yaml', '0.26.1')).toBe(after);
    expect(parse(after.split('---\n').at(-1)!)).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// cluster-settings: the other kinds of file a user may have (issue 14, mutation run of patch/cluster-settings.ts)
// ---------------------------------------------------------------------------------------------------------------

const CS = 'cs.yaml';
const WANT = 'expected a ConfigMap named cluster-settings in namespace flux-system';
const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n';
const SECTION = ['# CloudNativePG Operator', RENOVATE_COMMENT, 'CNPG_OPERATOR_VERSION: "0.26.1"', 'CNPG_OPERATOR_REPLICAS: "2"', 'BLOCK_SC: "ceph-block"'];
const section = (indent: string, eol = '\n'): string => SECTION.map((l) => indent + l + eol).join('');

function refusal(fn: () => unknown): { error: string; message: string; line: number | undefined } {
  try {
    fn();
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message, line: (e as FileError).line };
  }
  throw new Error('no error thrown');
}

describe('cluster-settings: files that are not a cluster-settings ConfigMap are refused, naming the line', () => {
  test.each([
    ['a flow mapping', '{kind: ConfigMap}\n', `${CS}:1: is not a YAML block mapping; ${WANT}`],
    ['a scalar', 'hello\n', `${CS}:1: is not a YAML block mapping; ${WANT}`],
    ['no kind (the line of the mapping)', '# settings\napiVersion: v1\n', `${CS}:2: has no kind; ${WANT}`],
    ['a kind that is not a string', 'apiVersion: v1\nkind: 5\n', `${CS}:2: has no kind; ${WANT}`],
    ['no metadata', 'apiVersion: v1\nkind: ConfigMap\n', `${CS}:1: has no metadata mapping; ${WANT}`],
    ['metadata that is not a mapping', 'kind: ConfigMap\nmetadata: x\n', `${CS}:2: has no metadata mapping; ${WANT}`],
    ['no metadata.name (the line of metadata\'s first key)', 'kind: ConfigMap\nmetadata:\n  labels: {}\n', `${CS}:3: has no metadata.name; ${WANT}`],
    ['a name that is not a string', 'kind: ConfigMap\nmetadata:\n  namespace: flux-system\n  name: 5\n', `${CS}:4: has no metadata.name; ${WANT}`],
    ['a namespace that is not a string', `${HEAD}  namespace: [a]\n`, `${CS}:5: is in namespace (not a string); ${WANT}`],
    ['data that is a string', `${HEAD}data: x\n`, `${CS}:5: data must be a block mapping (one KEY: "value" per line)`],
    ['data that is a list', `${HEAD}data:\n  - a\n`, `${CS}:6: data must be a block mapping (one KEY: "value" per line)`],
    ['data that is a flow mapping', `${HEAD}data: {A: b}\n`, `${CS}:5: data must be a block mapping (one KEY: "value" per line)`],
  ])('%s', (_, text, message) => {
    const line = Number(/^cs\.yaml:(\d+):/.exec(message)![1]);
    expect(refusal(() => patchClusterSettings(text, CS, VALUES))).toEqual({ error: 'FileError', message, line });
    expect(refusal(() => readClusterSettings(text, CS))).toEqual({ error: 'FileError', message, line });
  });

  test.each([
    ['a null key', `${HEAD}data:\n  A: b\n  ~: a\n`, `${CS}:7: data keys must be strings`],
    ['a list as a key', `${HEAD}data:\n  [a]: b\n`, `${CS}:6: data keys must be strings`],
    ['a list as a value', `${HEAD}data:\n  A: [a]\n`, `${CS}:6: data.A must be a string, found a sequence`],
    ['a mapping as a value', `${HEAD}data:\n  A: b\n  B:\n    c: d\n`, `${CS}:8: data.B must be a string, found a mapping`],
    ['an alias as a value', `${HEAD}base: &x y\ndata:\n  A: *x\n`, `${CS}:7: data.A must be a string, found an alias`],
  ])('reading and patching: %s', (_, text, message) => {
    const line = Number(/^cs\.yaml:(\d+):/.exec(message)![1]);
    expect(refusal(() => readClusterSettings(text, CS))).toEqual({ error: 'FileError', message, line });
    expect(refusal(() => patchClusterSettings(text, CS, VALUES))).toEqual({ error: 'FileError', message, line });
  });

  test.each([
    ['a block scalar', `${HEAD}data:\n  CNPG_OPERATOR_REPLICAS: |\n    2\n`, `${CS}:6: data.CNPG_OPERATOR_REPLICAS uses a block scalar (| or >); write it on one line`],
    ['a tag', `${HEAD}data:\n  A: b\n  CNPG_OPERATOR_REPLICAS: !!int 2\n`, `${CS}:7: data.CNPG_OPERATOR_REPLICAS has the explicit tag tag:yaml.org,2002:int; remove it`],
    ['a folded version', `${HEAD}data:\n  CNPG_OPERATOR_VERSION: >-\n    0.26.1\n`, `${CS}:6: data.CNPG_OPERATOR_VERSION uses a block scalar (| or >); write it on one line`],
  ])('patching one of our keys written as %s', (_, text, message) => {
    const line = Number(/^cs\.yaml:(\d+):/.exec(message)![1]);
    expect(refusal(() => patchClusterSettings(text, CS, VALUES))).toEqual({ error: 'FileError', message, line });
  });
});

describe('cluster-settings: what is read', () => {
  test('values as written: numbers, booleans and versions stay their text; a key without a value is empty', () => {
    expect(readClusterSettings(`${HEAD}data:\n  1: x\n  T: true\n  F: 1.10\n  Q: '0.26.0'\n  E:\n  ? K\n`, CS)).toEqual({
      1: 'x', T: 'true', F: '1.10', Q: '0.26.0', E: '', K: '',
    });
    for (const empty of ['', 'data:\n', 'data: ~\n', 'data: {}\n', 'data: []\n']) expect(readClusterSettings(HEAD + empty, CS)).toEqual({});
  });

  test('a namespace other than flux-system is refused; no namespace is fine', () => {
    expect(readClusterSettings(`${HEAD}data:\n  A: b\n`, CS)).toEqual({ A: 'b' });
    expect(readClusterSettings(`${HEAD}  namespace: flux-system\ndata:\n  A: b\n`, CS)).toEqual({ A: 'b' });
  });
});

describe('cluster-settings: an empty or missing data block, other root layouts', () => {
  test.each([
    ['data: ~ with a comment: the ~ goes, the comment stays', `${HEAD}data: ~ # c\n`, `${HEAD}data: # c\n${section('  ')}`],
    ['data: []', `${HEAD}data: []\n`, `${HEAD}data:\n${section('  ')}`],
    ['data: with a comment, before a comment at column 0', `${HEAD}data:   # c\n# after\n`, `${HEAD}data:   # c\n${section('  ')}# after\n`],
    ['no data, a trailing comment: data goes before it', `${HEAD}# trailing\n`, `${HEAD}data:\n${section('  ')}# trailing\n`],
    ['no data, no final newline', HEAD.trimEnd(), `${HEAD}data:\n${section('  ').trimEnd()}`],
    ['no data, CRLF', HEAD.replace(/\n/g, '\r\n'), `${HEAD.replace(/\n/g, '\r\n')}data:\r\n${section('  ', '\r\n')}`],
    [
      'an indented root: data at its column, entries one step in',
      '  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cluster-settings\n',
      `  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cluster-settings\n  data:\n${section('    ')}`,
    ],
    [
      'flow metadata: the step of the next nested mapping (binaryData at 3)',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-settings, namespace: flux-system}\nbinaryData:\n   x: eA==\n',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-settings, namespace: flux-system}\nbinaryData:\n   x: eA==\ndata:\n${section('   ')}`,
    ],
    [
      'flow metadata and no nested mapping: two spaces',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-settings}\nimmutable: false\n',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-settings}\nimmutable: false\ndata:\n${section('  ')}`,
    ],
    [
      'a first entry written as an explicit key: the indentation of its line',
      `${HEAD}data:\n  ? A\n  : b\n`,
      `${HEAD}data:\n  ? A\n  : b\n\n${section('  ')}`,
    ],
  ])('%s', (_, before, want) => {
    const after = patchClusterSettings(before, CS, VALUES);
    expect(after).toBe(want);
    expect(readClusterSettings(after, CS)).toMatchObject(VALUES);
    expect(patchClusterSettings(after, CS, VALUES)).toBe(after);
  });
});

describe('cluster-settings: our keys already there', () => {
  test('a blank value gets the value after its colon; missing keys follow the last CNPG_ key', () => {
    const before = `${HEAD}data:\n  CNPG_OPERATOR_REPLICAS:\n  Z: z\n`;
    expect(patchClusterSettings(before, CS, VALUES)).toBe(
      `${HEAD}data:\n  CNPG_OPERATOR_REPLICAS: "2"\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  BLOCK_SC: "ceph-block"\n  Z: z\n`,
    );
  });

  test('an explicit key without a value (`? KEY` alone) gets a `: "value"` line under it, the missing keys after that', () => {
    const before = `${HEAD}data:\n  ? CNPG_OPERATOR_REPLICAS\n  Z: z\n`;
    const after = patchClusterSettings(before, CS, VALUES);
    expect(after).toBe(`${HEAD}data:\n  ? CNPG_OPERATOR_REPLICAS\n  : "2"\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  BLOCK_SC: "ceph-block"\n  Z: z\n`);
    expect(readClusterSettings(after, CS)).toEqual({ ...VALUES, Z: 'z' });
    expect(patchClusterSettings(after, CS, VALUES)).toBe(after);
    const version = `${HEAD}data:\n  ? CNPG_OPERATOR_VERSION # v\n`;
    expect(patchClusterSettings(version, CS, { CNPG_OPERATOR_VERSION: '0.26.1' })).toBe(`${HEAD}data:\n  ${RENOVATE_COMMENT}\n  ? CNPG_OPERATOR_VERSION # v\n  : "0.26.1"\n`);
  });

  test('a value over two lines is replaced whole, and the missing keys go after its last line', () => {
    expect(patchClusterSettings(`${HEAD}data:\n  CNPG_OPERATOR_REPLICAS: "1\n    2"\n  Z: z\n`, CS, VALUES)).toBe(
      `${HEAD}data:\n  CNPG_OPERATOR_REPLICAS: "2"\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  BLOCK_SC: "ceph-block"\n  Z: z\n`,
    );
    expect(patchClusterSettings(`${HEAD}data: {\n  }\nimmutable: true\n`, CS, VALUES)).toBe(`${HEAD}data:\n${section('  ')}immutable: true\n`);
  });

  test('the renovate comment goes above the version only when the version is among the values, at the key\'s indentation; other CNPG_ keys are no section', () => {
    const only = `${HEAD}data:\n  CNPG_OPERATOR_VERSION: "1"\n`;
    // only keys among the values make a CNPG section to continue
    expect(patchClusterSettings(only, CS, { CNPG_OPERATOR_REPLICAS: '2' })).toBe(`${only}\n  # CloudNativePG Operator\n  CNPG_OPERATOR_REPLICAS: "2"\n`);
    expect(patchClusterSettings(`${HEAD}data:\n    A: b\n    CNPG_OPERATOR_VERSION: "1"\n`, CS, { CNPG_OPERATOR_VERSION: '2' })).toBe(
      `${HEAD}data:\n    A: b\n    ${RENOVATE_COMMENT}\n    CNPG_OPERATOR_VERSION: "2"\n`,
    );
  });

  test('a renovate comment of any kind directly above the version is kept; one further up is not enough', () => {
    const other = '# renovate: datasource=helm depName=cloudnative-pg registryUrl=https://cloudnative-pg.github.io/charts';
    const kept = `${HEAD}data:\n  ${other}\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  CNPG_OPERATOR_REPLICAS: "2"\n  BLOCK_SC: "ceph-block"\n`;
    expect(patchClusterSettings(kept, CS, VALUES)).toBe(kept);
    const far = `${HEAD}data:\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_REPLICAS: "2"\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  BLOCK_SC: "ceph-block"\n`;
    expect(patchClusterSettings(far, CS, VALUES)).toBe(
      `${HEAD}data:\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_REPLICAS: "2"\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  BLOCK_SC: "ceph-block"\n`,
    );
  });

  test('missing keys go in the order of the values, after the last CNPG_ key; a value may be empty', () => {
    const before = `${HEAD}data:\n  CNPG_A: "1"\n  CNPG_B: "2"\n  Z: z\n`;
    expect(patchClusterSettings(before, CS, { CNPG_B: '3', Y_ONE: '', CNPG_A: '1', X_TWO: 'x' })).toBe(
      `${HEAD}data:\n  CNPG_A: "1"\n  CNPG_B: "3"\n  Y_ONE: ""\n  X_TWO: "x"\n  Z: z\n`,
    );
    expect(patchClusterSettings(`${HEAD}data:\n  A: b\n`, CS, { X_ONE: '1', CNPG_B: '' })).toBe(
      `${HEAD}data:\n  A: b\n\n  # CloudNativePG Operator\n  X_ONE: "1"\n  CNPG_B: ""\n`,
    );
  });

  test('a key that is a number is not ours and stays as it is', () => {
    const before = `${HEAD}data:\n  1: x\n  CNPG_OPERATOR_REPLICAS: "1"\n`;
    expect(patchClusterSettings(before, CS, { CNPG_OPERATOR_REPLICAS: '2' })).toBe(`${HEAD}data:\n  1: x\n  CNPG_OPERATOR_REPLICAS: "2"\n`);
  });

  test('all keys present and none a CNPG_ key: only the values change, no section is added', () => {
    expect(patchClusterSettings(`${HEAD}data:\n  BLOCK_SC: y\n  Z: z\n`, CS, { BLOCK_SC: 'x' })).toBe(`${HEAD}data:\n  BLOCK_SC: "x"\n  Z: z\n`);
  });

  test('a value already double-quoted right is left; single-quoted or plain is rewritten double-quoted', () => {
    const before = `${HEAD}data:\n  CNPG_OPERATOR_REPLICAS: "2" # two\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_VERSION: '0.26.1'\n  BLOCK_SC: ceph-block\n`;
    expect(patchClusterSettings(before, CS, VALUES)).toBe(
      `${HEAD}data:\n  CNPG_OPERATOR_REPLICAS: "2" # two\n  ${RENOVATE_COMMENT}\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  BLOCK_SC: "ceph-block"\n`,
    );
  });

  test('a new file without the version key has no renovate comment', () => {
    expect(patchClusterSettings(undefined, CS, { BLOCK_SC: 'x' })).toBe(
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  # CloudNativePG Operator\n  BLOCK_SC: "x"\n',
    );
  });
});

describe('cluster-settings: the keys and values the generator passes are checked (programming errors)', () => {
  test.each(['bad key', '1A', ' A', 'A ', 'A$', '', 'A:b'])('the key %p', (key) => {
    expect(() => patchClusterSettings(HEAD, CS, { [key]: 'x' })).toThrow(new Error(`internal error: invalid cluster-settings key ${JSON.stringify(key)}`));
  });

  test('keys with letters, digits, _ . and - are fine', () => {
    expect(patchClusterSettings(undefined, CS, { _X: '1', 'a.b-c_D9': '2' })).toContain('  _X: "1"\n  a.b-c_D9: "2"\n');
  });

  test('a value that is not a string', () => {
    expect(() => patchClusterSettings(HEAD, CS, { A: 5 as unknown as string })).toThrow(new Error('internal error: cluster-settings value A must be a string, got 5'));
  });
});
