/**
 * Moving the checked-out branch to a new commit in process, as `git update-ref -m <msg> HEAD <new> <old>` does in
 * a files-backend repo: the ref is locked the way git locks it (`<ref>.lock`, created exclusively), checked against
 * the commit the run started from, the reflogs of the branch and of HEAD get their line, and the lock is renamed
 * over the ref. A ref that moved meanwhile, or a lock someone else holds, refuses the update.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { refValue } from './git-store.js';

export interface RefMove {
  /** e.g. refs/heads/main (what HEAD points to). */
  ref: string;
  /** The commit the ref must still be at; undefined for a branch with no commit yet. */
  old: string | undefined;
  new: string;
  /** `Name <email> seconds +hhmm`, as git writes in reflogs. */
  committer: string;
  message: string;
  /** core.logAllRefUpdates as git reads it: true (the default in a work tree), false or always. */
  logAll: 'true' | 'false' | 'always';
}

/** Move the ref; returns an error message instead of throwing when git would refuse. */
export function moveRef(gitDir: string, m: RefMove): string | undefined {
  const refPath = path.join(gitDir, m.ref);
  const lock = `${refPath}.lock`;
  mkdirSync(path.dirname(refPath), { recursive: true });
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return `cannot lock ref '${m.ref}': ${lock} exists (another git process is running?)`;
    throw e;
  }
  try {
    const now = refValue(gitDir, m.ref);
    if (now !== m.old) {
      closeSync(fd);
      unlinkSync(lock);
      return `cannot lock ref '${m.ref}': it is at ${now ?? 'nothing'} but this run started from ${m.old ?? 'nothing'}`;
    }
    writeSync(fd, `${m.new}\n`);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* closed */
    }
    unlinkSync(lock);
    throw e;
  }
  try {
    const zero = '0'.repeat(m.new.length);
    const line = `${m.old ?? zero} ${m.new} ${m.committer}\t${m.message.replace(/\n/g, ' ')}\n`;
    for (const log of [path.join(gitDir, 'logs', m.ref), path.join(gitDir, 'logs', 'HEAD')]) {
      if (!existsSync(log)) {
        if (m.logAll === 'false') continue;
        mkdirSync(path.dirname(log), { recursive: true });
      }
      const lf = openSync(log, 'a', 0o666);
      try {
        writeSync(lf, line);
      } finally {
        closeSync(lf);
      }
    }
  } catch (e) {
    unlinkSync(lock);
    throw e;
  }
  renameSync(lock, refPath);
  return undefined;
}
