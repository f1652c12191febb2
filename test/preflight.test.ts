/** Issue 12 point 6: a path that cannot be written is found before anything is written, naming the path. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NotWritableError, checkWritable } from '../src/core/preflight.js';
import { tmpDir, tree } from './helpers/repo.js';

const OP = 'kubernetes/infrastructure/databases/cloudnative-pg/operator';
const PATHS = [`${OP}/helmrelease.yaml`, `${OP}/ks.yaml`, 'kubernetes/clusters/infra/cluster-settings.yaml', 'bootstrap/helmfile.d/00-crds.yaml', '.yo-rc.json'];

function repo(): string {
  const dir = tmpDir('cnpg-preflight-');
  mkdirSync(path.join(dir, 'kubernetes/clusters/infra'), { recursive: true });
  writeFileSync(path.join(dir, 'kubernetes/clusters/infra/cluster-settings.yaml'), 'data: {}\n');
  return dir;
}

function refusal(root: string): { path: string; message: string } | undefined {
  try {
    checkWritable(root, PATHS);
    return undefined;
  } catch (e) {
    if (!(e instanceof NotWritableError)) throw e;
    return { path: e.path, message: e.message };
  }
}

const immutable: string[] = [];
afterAll(() => {
  for (const p of immutable) spawnSync('chattr', ['-i', p]);
});

describe('checkWritable', () => {
  test('a writable repo, with folders still to create, passes and nothing is created', () => {
    const root = repo();
    const before = tree(root);
    expect(refusal(root)).toBeUndefined();
    expect(tree(root)).toEqual(before);
  });

  test('a read-only folder on the way is named, whichever file needs it', () => {
    const root = repo();
    chmodSync(path.join(root, 'kubernetes'), 0o555);
    const r = refusal(root);
    chmodSync(path.join(root, 'kubernetes'), 0o755);
    expect(r?.path).toBe('kubernetes');
    expect(r?.message).toBe(`kubernetes: folder is read-only (mode 555); this run must write ${OP}/helmrelease.yaml (nothing was written)`);
    expect(r?.message.split('\n')).toHaveLength(1);
  });

  test('a read-only file is named', () => {
    const root = repo();
    chmodSync(path.join(root, 'kubernetes/clusters/infra/cluster-settings.yaml'), 0o444);
    expect(refusal(root)).toEqual({
      path: 'kubernetes/clusters/infra/cluster-settings.yaml',
      message: 'kubernetes/clusters/infra/cluster-settings.yaml: is read-only (mode 444); this run must write it (nothing was written)',
    });
  });

  test('the repo root read-only is named as "." when a path needs a folder created in it', () => {
    const root = repo();
    chmodSync(root, 0o555);
    const r = refusal(root);
    chmodSync(root, 0o755);
    // kubernetes/ itself is writable, so the operator folder can be created; bootstrap/ cannot.
    expect(r).toEqual({ path: '.', message: '.: folder is read-only (mode 555); this run must write bootstrap/helmfile.d/00-crds.yaml (nothing was written)' });
  });

  test('a file where a folder must go is named', () => {
    const root = repo();
    writeFileSync(path.join(root, 'bootstrap'), 'not a folder\n');
    expect(refusal(root)).toEqual({
      path: 'bootstrap',
      message: 'bootstrap: is not a folder; this run must write bootstrap/helmfile.d/00-crds.yaml inside it (nothing was written)',
    });
  });

  test('an immutable file (chattr +i) is named', () => {
    const root = repo();
    const file = path.join(root, 'kubernetes/clusters/infra/cluster-settings.yaml');
    const r = spawnSync('chattr', ['+i', file]);
    if (r.status !== 0) {
      console.warn(`skipped: chattr +i is not available here (${r.error?.message ?? r.stderr.toString().trim()})`);
      return;
    }
    immutable.push(file);
    expect(refusal(root)).toEqual({
      path: 'kubernetes/clusters/infra/cluster-settings.yaml',
      message: 'kubernetes/clusters/infra/cluster-settings.yaml: is immutable (chattr +i); this run must write it (nothing was written)',
    });
  });
});
