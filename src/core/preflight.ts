/**
 * Refuse early: before anything is written, every path a run will write (or delete) is checked, so a read-only
 * file or folder is reported up front, naming it, instead of being found half-way through the writes.
 *
 * A file is replaced by writing a temporary file beside it and renaming it over the old one, so what must be
 * writable is the folder that holds it (or, for a path that does not exist yet, the nearest folder that does);
 * a file the user made read-only is refused too, since overwriting it would ignore that choice.
 * access(2) answers for the current user, including an immutable flag (`chattr +i`, EPERM) and a read-only
 * mount (EROFS); root passes access(2) whatever the mode bits say, so for root a file or folder with no write
 * bit at all is refused as well.
 */
import { type Stats, accessSync, constants, lstatSync } from 'node:fs';
import path from 'node:path';
import { FileError } from './errors.js';

/** A path this run would have to write and cannot. `path` is relative to the repo root (`.` for the root). */
export class NotWritableError extends FileError {
  readonly path: string;

  constructor(rel: string, reason: string) {
    super(rel, reason);
    this.name = 'NotWritableError';
    this.path = rel;
  }
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function statOrUndefined(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Why the current user cannot write `abs` (mode: W_OK, or W_OK|X_OK for a folder), or undefined. */
function blocked(abs: string, st: Stats, mode: number): string | undefined {
  try {
    accessSync(abs, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPERM') return 'is immutable (chattr +i)';
    if (code === 'EROFS') return 'is on a read-only file system';
    return `is not writable (${code ?? 'access denied'})`;
  }
  if (isRoot() && (st.mode & 0o222) === 0) return `is read-only (mode ${(st.mode & 0o777).toString(8).padStart(3, '0')})`;
  return undefined;
}

/**
 * Throws NotWritableError for the first of `paths` (relative to `root`) that cannot be written: the file itself
 * when it exists, and the folder it would be written in (or the nearest existing one). Writes nothing.
 */
export function checkWritable(root: string, paths: readonly string[]): void {
  const checkedDirs = new Set<string>();
  const relOf = (abs: string): string => path.relative(root, abs).split(path.sep).join('/') || '.';
  for (const rel of paths) {
    const abs = path.resolve(root, rel);
    const st = statOrUndefined(abs);
    if (st?.isFile()) {
      const why = blocked(abs, st, constants.W_OK);
      if (why) throw new NotWritableError(relOf(abs), `${why}; this run must write it (nothing was written)`);
    }
    // The folder the file goes into, or the nearest existing one above it.
    let dir = path.dirname(abs);
    let dirSt = statOrUndefined(dir);
    while (!dirSt && path.dirname(dir) !== dir) {
      dir = path.dirname(dir);
      dirSt = statOrUndefined(dir);
    }
    if (!dirSt || checkedDirs.has(dir)) continue;
    checkedDirs.add(dir);
    if (!dirSt.isDirectory()) {
      throw new NotWritableError(relOf(dir), `is not a folder; this run must write ${rel} inside it (nothing was written)`);
    }
    const why = blocked(dir, dirSt, constants.W_OK | constants.X_OK);
    if (why) throw new NotWritableError(relOf(dir), `folder ${why}; this run must write ${rel} (nothing was written)`);
  }
}
