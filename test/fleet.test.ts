/** Issue 10, point 3: where clusters keep different values, .yo-rc.json and the commit body say so. */
import { describe, expect, test } from '@jest/globals';
import { bin, commitCount, git, read, tmpRepo, tree, writeFile } from './helpers/repo.js';

const settings = (name: string, replicas: string, storageClass = 'ceph-block'): string => `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  CLUSTER_NAME: "${name}"
  BLOCK_SC: "${storageClass}"
  # CloudNativePG Operator
  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
  CNPG_OPERATOR_VERSION: "0.26.0"
  CNPG_OPERATOR_REPLICAS: "${replicas}"
`;

const stored = (repo: string): Record<string, unknown> => JSON.parse(read(repo, '.yo-rc.json'))['generator-cnpg-operator'];

describe('fleet record', () => {
  test('--all-clusters over replicas 2 and 3: each cluster keeps its own, the record and the commit body say so', () => {
    const repo = tmpRepo({
      'kubernetes/clusters/apps/cluster-settings.yaml': settings('apps', '2'),
      'kubernetes/clusters/infra/cluster-settings.yaml': settings('infra', '3', 'local-path'),
    });
    const first = bin(repo, ['--yes', '--all-clusters']);
    expect(first.status).toBe(0);
    expect(read(repo, 'kubernetes/clusters/apps/cluster-settings.yaml')).toBe(settings('apps', '2'));
    expect(read(repo, 'kubernetes/clusters/infra/cluster-settings.yaml')).toBe(settings('infra', '3', 'local-path'));
    expect(stored(repo)).toMatchObject({
      cluster: ['apps', 'infra'],
      replicas: 2,
      storageClass: 'ceph-block',
      clusters: { infra: { replicas: 3, storageClass: 'local-path' } },
    });
    const body = git(repo, 'log', '-1', '--format=%B');
    expect(body).toContain('Replicas (per cluster):\n  apps: 2\n  infra: 3\n');
    expect(body).toContain('Storage class (per cluster):\n  apps: ceph-block\n  infra: local-path\n');
    expect(body).not.toMatch(/^Replicas: /m);

    // A rerun reads the record back unchanged: nothing to do.
    const before = tree(repo);
    const count = commitCount(repo);
    const again = bin(repo, ['--yes', '--all-clusters']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing changed; no commit');
    expect(tree(repo)).toEqual(before);
    expect(commitCount(repo)).toBe(count);
    expect(bin(repo, ['--yes']).stdout).toContain('nothing changed; no commit');

    // Set on this run: every cluster takes it, and the exceptions are gone.
    expect(bin(repo, ['--yes', '--all-clusters', '--replicas', '4']).status).toBe(0);
    for (const c of ['apps', 'infra']) expect(read(repo, `kubernetes/clusters/${c}/cluster-settings.yaml`)).toContain('CNPG_OPERATOR_REPLICAS: "4"');
    expect(stored(repo)).toMatchObject({ replicas: 4, clusters: { infra: { storageClass: 'local-path' } } });
    expect(stored(repo).clusters).toEqual({ infra: { storageClass: 'local-path' } });
    expect(git(repo, 'log', '-1', '--format=%B')).toMatch(/^Replicas: 4$/m);
  });

  test('one cluster: the record carries its own value, not the stored one', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': settings('infra', '2') });
    expect(bin(repo, ['--yes']).status).toBe(0);
    // A hand edit of the cluster's replicas: the repo is the truth, and the record follows it.
    const edited = settings('infra', '3');
    writeFile(repo, 'kubernetes/clusters/infra/cluster-settings.yaml', edited);
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/replicas\s+= 3\s+\(repo\)/);
    expect(read(repo, 'kubernetes/clusters/infra/cluster-settings.yaml')).toBe(edited);
    expect(stored(repo)).toMatchObject({ replicas: 3 });
    expect(stored(repo).clusters).toBeUndefined();
  });
});
