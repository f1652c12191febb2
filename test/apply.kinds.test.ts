/**
 * Issue 14, "the run lock": .git/cnpg-operator.lock held by a live process. The run waits, then refuses naming the
 * holder's pid, and writes nothing; a lock left by a dead process is taken over. No timing assertions: the live
 * holder never lets go, the dead one is dead before the run starts.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplyError, withRepoLock } from '../src/core/apply.js';
import { openRepo } from '../src/core/repo.js';
import { CLUSTER_SETTINGS, bin, commitCount, git, tmpRepo, tree } from './helpers/repo.js';

const holders: ChildProcess[] = [];
/** A live process that is not us (it sleeps until the suite ends). */
function liveHolder(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  holders.push(child);
  return child.pid!;
}
afterAll(() => {
  for (const c of holders) c.kill();
});
/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('withRepoLock', () => {
  test('a lock held by a live process: waits, then refuses with the holder pid; the work never runs and the lock stays', async () => {
    const dir = tmpRepo();
    const repo = openRepo(dir);
    const lock = path.join(repo.gitDir!, 'cnpg-operator.lock');
    const pid = liveHolder();
    writeFileSync(lock, `${pid}\n`);
    let ran = false;
    const run = withRepoLock(repo, () => { ran = true; }, 300);
    await expect(run).rejects.toThrow(ApplyError);
    await expect(withRepoLock(repo, () => { ran = true; }, 200)).rejects.toThrow(`another cnpg-operator run (pid ${pid}) holds ${lock}; waited 0.2s, try again when it has finished`);
    expect(ran).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe(`${pid}\n`);
  });

  test('a lock whose holder is unreadable is not broken: it refuses with pid ?', async () => {
    const dir = tmpRepo();
    const repo = openRepo(dir);
    const lock = path.join(repo.gitDir!, 'cnpg-operator.lock');
    writeFileSync(lock, 'not a pid\n');
    await expect(withRepoLock(repo, () => 1, 200)).rejects.toThrow(/another cnpg-operator run \(pid \?\) holds/);
    expect(readFileSync(lock, 'utf8')).toBe('not a pid\n');
  });

  test('a lock left by a dead process is taken over; the lock holds our pid while the work runs and is gone after', async () => {
    const dir = tmpRepo();
    const repo = openRepo(dir);
    const lock = path.join(repo.gitDir!, 'cnpg-operator.lock');
    writeFileSync(lock, `${deadPid()}\n`);
    const seen = await withRepoLock(repo, () => readFileSync(lock, 'utf8'), 200);
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(lock)).toBe(false);
  });

  test('the lock is released when the work throws', async () => {
    const dir = tmpRepo();
    const repo = openRepo(dir);
    await expect(withRepoLock(repo, () => { throw new Error('boom'); }, 200)).rejects.toThrow('boom');
    expect(existsSync(path.join(repo.gitDir!, 'cnpg-operator.lock'))).toBe(false);
    expect(await withRepoLock(repo, () => 'again', 200)).toBe('again');
  });

  test('outside git the lock is .cnpg-operator.lock in the folder', async () => {
    const dir = tmpRepo({ 'README.md': 'x\n' }, { git: false });
    const repo = openRepo(dir);
    const lock = path.join(repo.root, '.cnpg-operator.lock');
    const pid = liveHolder();
    writeFileSync(lock, `${pid}\n`);
    await expect(withRepoLock(repo, () => 1, 200)).rejects.toThrow(`(pid ${pid}) holds ${lock}`);
  });
});

describe('the bin against a held lock', () => {
  test('exit 1, one line naming the holder pid, nothing written, nothing committed', () => {
    const dir = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    const pid = liveHolder();
    const lock = path.join(dir, '.git', 'cnpg-operator.lock');
    writeFileSync(lock, `${pid}\n`);
    const before = tree(dir);
    const r = bin(dir, ['--yes', '--cluster', 'infra']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`another cnpg-operator run (pid ${pid}) holds`);
    expect(r.stderr).toContain('try again when it has finished');
    expect(tree(dir)).toEqual(before);
    expect(commitCount(dir)).toBe(1);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(readFileSync(lock, 'utf8')).toBe(`${pid}\n`);
  });

  test('a lock left by a dead run does not stop the next run', () => {
    const dir = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    writeFileSync(path.join(dir, '.git', 'cnpg-operator.lock'), `${deadPid()}\n`);
    const r = bin(dir, ['--yes', '--cluster', 'infra']);
    expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
    expect(commitCount(dir)).toBe(2);
    expect(existsSync(path.join(dir, '.git', 'cnpg-operator.lock'))).toBe(false);
  });
});
