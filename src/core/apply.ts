/**
 * All-or-nothing writes: each file goes to a temporary file in its own folder and is renamed over the target
 * (keeping the old file's mode), so a kill never leaves a half-written file. If any write fails, the files
 * already replaced are put back and the new ones removed.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { type Repo, resolveInside } from './repo.js';

export interface Write {
  path: string;
  /** New content; undefined deletes the file. */
  content: string | undefined;
}

export class ApplyError extends Error {}

function atomicWrite(abs: string, content: string | Buffer, mode: number | undefined): void {
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.cnpg-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fd = openSync(tmp, 'wx', mode ?? 0o644);
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
  try {
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

interface Undo {
  abs: string;
  before: Buffer | undefined;
  mode: number | undefined;
  createdDirs: string[];
}

/** Create missing folders; returns the ones created, outermost first. */
function ensureDir(dir: string): string[] {
  const missing: string[] = [];
  let cur = dir;
  for (;;) {
    try {
      if (statSync(cur).isDirectory()) break;
      throw new ApplyError(`${cur} exists and is not a folder`);
    } catch (e) {
      if (e instanceof ApplyError) throw e;
      missing.unshift(cur);
      const up = path.dirname(cur);
      if (up === cur) break;
      cur = up;
    }
  }
  for (const d of missing) mkdirSync(d);
  return missing;
}

export function applyWrites(repo: Repo, writes: Write[]): void {
  // Resolve every path (boundary and symlink checks) before touching anything.
  const targets = writes.map((w) => ({ ...w, abs: resolveInside(repo, w.path) }));
  const done: Undo[] = [];
  try {
    for (const t of targets) {
      let before: Buffer | undefined;
      let mode: number | undefined;
      try {
        before = readFileSync(t.abs);
        mode = statSync(t.abs).mode & 0o7777;
      } catch {
        before = undefined;
      }
      if (t.content === undefined) {
        if (before !== undefined) {
          unlinkSync(t.abs);
          done.push({ abs: t.abs, before, mode, createdDirs: [] });
        }
        continue;
      }
      const createdDirs = ensureDir(path.dirname(t.abs));
      const undo: Undo = { abs: t.abs, before, mode, createdDirs };
      done.push(undo);
      atomicWrite(t.abs, t.content, mode);
    }
  } catch (e) {
    const failed = (e as Error).message;
    const problems: string[] = [];
    for (const u of done.reverse()) {
      try {
        if (u.before === undefined) rmSync(u.abs, { force: true });
        else atomicWrite(u.abs, u.before, u.mode);
        for (const d of [...u.createdDirs].reverse()) {
          try {
            rmdirSync(d);
          } catch {
            /* not empty: leave it */
          }
        }
      } catch (re) {
        problems.push(`${path.relative(repo.root, u.abs)}: ${(re as Error).message}`);
      }
    }
    const restored = done.length - problems.length;
    throw new ApplyError(
      `writing failed (${failed}); ${restored} file(s) already written were restored to what they were` +
        (problems.length ? `; could NOT restore: ${problems.join('; ')}` : ''),
    );
  }
}

/** A lock per repository so two runs never interleave: the second waits up to `waitMs`, then gives up. */
export async function withRepoLock<T>(repo: Repo, fn: () => Promise<T> | T, waitMs = 5000): Promise<T> {
  const lock = repo.gitDir ? path.join(repo.gitDir, 'cnpg-operator.lock') : path.join(repo.root, '.cnpg-operator.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(lock, 'utf8').trim());
      } catch {
        /* vanished: retry */
      }
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(lock, { force: true }); // left by a run that was killed
        continue;
      }
      if (Date.now() >= deadline) {
        throw new ApplyError(`another cnpg-operator run (pid ${Number.isNaN(holder) ? '?' : holder}) holds ${lock}; waited ${waitMs / 1000}s, try again when it has finished`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
