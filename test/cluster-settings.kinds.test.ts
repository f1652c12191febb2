/**
 * Issue 14: where missing keys are inserted (and the in-place edits around them), pinned by several cases each, in
 * the cluster settings and the CRD helmfile. Every expected text was read line by line: the user's lines stay
 * byte for byte, our lines go where a person would put them.
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { patchClusterSettings } from '../src/core/patch/cluster-settings.js';
import { patchCrdsHelmfile, readCrdsHelmfileVersion } from '../src/core/patch/crds-helmfile.js';
import { readClusterSettings } from '../src/core/patch/cluster-settings.js';

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
