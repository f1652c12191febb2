/**
 * Staging our paths in git's index in process, as `git update-index --add --remove -- <paths>` would: the other
 * entries are copied byte for byte, ours are replaced, added or removed with the stat data git records, and the
 * cache tree is invalidated along our paths. In a 20,000-file repo git spends ~35 ms reading, checking and
 * rewriting the index. Here the index is streamed twice through one small buffer (once to find where our paths
 * go, once to write and hash the new index), never held whole: on a small VM the page faults of one fresh
 * multi-megabyte buffer cost more than all the rest.
 *
 * Only index versions 2 and 3 and the extensions git itself writes by default (TREE, REUC; EOIE and IEOT are
 * dropped, as git may) are handled. Anything else (version 4, split or sparse index, untracked cache, fsmonitor,
 * conflicts, skip-worktree or intent-to-add entries on our paths, a file where a folder is) throws
 * NativeUnsupported before anything is written, and the caller lets git do it.
 *
 * The new index is written to `index.lock` (taken the way git takes it) and only renamed over `index` by
 * `commit()`, so a commit that fails afterwards leaves the index as it was (`rollback()`).
 */
import { type Hash, createHash } from 'node:crypto';
import { type BigIntStats, closeSync, fstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { NativeUnsupported } from './git-store.js';

export interface IndexChange {
  path: string;
  /** The staged file: its blob id and lstat (bigint). Undefined removes the path from the index. */
  staged?: { oid: string; mode: number; stat: BigIntStats };
}

export interface StagedIndex {
  commit(): void;
  rollback(): void;
}

const U32 = 0xffffffffn;

/** The on-disk entry for a staged file (stage 0, no extended flags), padded as versions 2 and 3 pad. */
function entryBytes(p: Buffer, oid: Buffer, mode: number, st: BigIntStats): Buffer {
  const off = 40 + oid.length + 2;
  const size = (off + p.length + 8) & ~7;
  const b = Buffer.alloc(size);
  const fields = [st.ctimeNs / 1_000_000_000n, st.ctimeNs % 1_000_000_000n, st.mtimeNs / 1_000_000_000n, st.mtimeNs % 1_000_000_000n, st.dev, st.ino];
  fields.forEach((v, i) => b.writeUInt32BE(Number(v & U32), i * 4));
  b.writeUInt32BE(mode, 24);
  b.writeUInt32BE(Number(st.uid & U32), 28);
  b.writeUInt32BE(Number(st.gid & U32), 32);
  b.writeUInt32BE(Number(st.size & U32), 36);
  oid.copy(b, 40);
  b.writeUInt16BE(Math.min(p.length, 0xfff), 40 + oid.length);
  p.copy(b, off);
  return b;
}

/**
 * The TREE extension with every folder along our paths invalidated, as git's cache_tree_invalidate_path does
 * (entry count -1, no tree id), everything else copied as it is. The extension is a preorder list of
 * `name NUL count SP subtrees LF [id]`; it is streamed, not built as a tree, since a big repo has thousands of
 * folders. A subtree named like one of our files (only possible in a stale cache) is left to git.
 */
function invalidateCacheTree(data: Buffer, rawLen: number, paths: string[]): Buffer {
  const dirs = new Set<string>(['']);
  const files = new Set(paths);
  for (const p of paths) for (let d = path.posix.dirname(p); d !== '.'; d = path.posix.dirname(d)) dirs.add(d);
  const parts: Buffer[] = [];
  let copyFrom = 0;
  let pos = 0;
  // Per open level: the folder's path (null when off our paths, so names below it are never decoded) and how
  // many of its subtrees are still to come.
  const pathAt: (string | null)[] = [];
  const left: number[] = [];
  const malformed = () => new NativeUnsupported('cache tree is malformed');
  while (pos < data.length) {
    const nameStart = pos;
    let nul = pos;
    while (nul < data.length && data[nul] !== 0) nul++; // names are short: cheaper than indexOf's checks
    if (nul >= data.length) throw malformed();
    pos = nul + 1;
    let sign = 1;
    if (data[pos] === 45) {
      sign = -1;
      pos++;
    }
    let count = 0;
    let digits = 0;
    for (; pos < data.length && data[pos] !== 32; pos++, digits++) count = count * 10 + (data[pos] - 48);
    if (digits === 0 || data[pos] !== 32) throw malformed();
    count *= sign;
    pos++;
    let subtrees = 0;
    digits = 0;
    for (; pos < data.length && data[pos] !== 10; pos++, digits++) subtrees = subtrees * 10 + (data[pos] - 48);
    if (digits === 0 || data[pos] !== 10) throw malformed();
    pos++;
    while (left.length > 0 && left[left.length - 1] === 0) {
      left.pop();
      pathAt.pop();
    }
    let here: string | null = '';
    if (left.length > 0) {
      left[left.length - 1]--;
      const parent = pathAt[pathAt.length - 1];
      here = parent !== null && dirs.has(parent) ? `${parent === '' ? '' : parent + '/'}${data.toString('utf8', nameStart, nul)}` : null;
    } else if (nameStart !== 0) throw new NativeUnsupported('cache tree has trailing bytes');
    const next = pos + (count >= 0 ? rawLen : 0);
    if (here !== null) {
      if (files.has(here)) throw new NativeUnsupported(`cache tree has a folder at ${here}`);
      if (dirs.has(here) && count >= 0) {
        parts.push(data.subarray(copyFrom, nul), Buffer.from(`\0-1 ${subtrees}\n`, 'latin1'));
        copyFrom = next;
      }
    }
    pathAt.push(here);
    left.push(subtrees);
    pos = next;
  }
  if (pos !== data.length) throw new NativeUnsupported('cache tree is cut short');
  parts.push(data.subarray(copyFrom));
  return Buffer.concat(parts);
}

/**
 * Prepare the index with our paths staged; nothing is visible to git until `commit()`.
 * `algo` is the repo's object format; `changes` need not be sorted.
 */
export function stageInIndex(gitDir: string, algo: 'sha1' | 'sha256', changes: IndexChange[]): StagedIndex {
  const indexPath = path.join(gitDir, 'index');
  const lockPath = indexPath + '.lock';
  let out: number;
  try {
    out = openSync(lockPath, 'wx', 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new NativeUnsupported('index.lock exists');
    throw e;
  }
  let input: number | undefined;
  try {
    try {
      input = openSync(indexPath, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    writeIndex(input, out, algo, changes);
    closeSync(out);
  } catch (e) {
    closeSync(out);
    unlinkSync(lockPath);
    throw e;
  } finally {
    if (input !== undefined) closeSync(input);
  }
  let done = false;
  return {
    commit() {
      if (done) return;
      renameSync(lockPath, indexPath);
      done = true;
    },
    rollback() {
      if (done) return;
      done = true;
      unlinkSync(lockPath);
    },
  };
}

/** Sequential reads of a file through one reusable buffer. */
class Reader {
  buf = Buffer.allocUnsafe(1 << 16);
  /** File offset of buf[0]. */
  base = 0;
  len = 0;
  pos = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  get offset(): number {
    return this.base + this.pos;
  }

  /** Make n bytes from pos available (moving what is left to the front); false at end of file. */
  ensure(n: number): boolean {
    if (this.pos + n <= this.len) return true;
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.pos, this.len);
      this.buf = bigger;
    } else {
      this.buf.copyWithin(0, this.pos, this.len);
    }
    this.base += this.pos;
    this.len -= this.pos;
    this.pos = 0;
    while (this.len < n) {
      const got = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.base + this.len);
      if (got === 0) return false;
      this.len += got;
    }
    return true;
  }

  /** Jump to a file offset. */
  seek(offset: number): void {
    this.base = offset;
    this.len = 0;
    this.pos = 0;
  }

  /** The next n bytes as a buffer of their own. */
  take(n: number): Buffer {
    if (!this.ensure(n)) throw new NativeUnsupported('index is cut short');
    const b = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return b;
  }
}

/** Buffered writes that also feed the trailer's hash. */
class Writer {
  buf = Buffer.allocUnsafe(1 << 16);
  n = 0;
  readonly hash: Hash;
  constructor(
    private readonly fd: number,
    algo: string,
  ) {
    this.hash = createHash(algo);
  }

  put(src: Buffer, from = 0, to = src.length): void {
    while (from < to) {
      if (this.n === this.buf.length) this.flush();
      const k = src.copy(this.buf, this.n, from, Math.min(to, from + this.buf.length - this.n));
      this.n += k;
      from += k;
    }
  }

  flush(): void {
    if (this.n === 0) return;
    this.hash.update(this.buf.subarray(0, this.n));
    let off = 0;
    while (off < this.n) off += writeSync(this.fd, this.buf, off, this.n - off);
    this.n = 0;
  }

  finish(): void {
    this.flush();
    const digest = this.hash.digest();
    let off = 0;
    while (off < digest.length) off += writeSync(this.fd, digest, off, digest.length - off);
  }
}

/** Byte order of the name at buf[at, at+len) against b (negative, 0, positive), without Buffer.compare's checks. */
function compareName(buf: Buffer, at: number, len: number, b: Buffer): number {
  const n = len < b.length ? len : b.length;
  for (let i = 0; i < n; i++) {
    const d = buf[at + i] - b[i];
    if (d !== 0) return d;
  }
  return len - b.length;
}

const enum Kind {
  Ours,
  Folder,
  Below,
}

interface Target {
  name: Buffer;
  kind: Kind;
  /** Index into the sorted changes, for Ours and Below. */
  change: number;
}

/** Write the new index (header, entries, extensions, trailer) to `out`, reading the old one from `input`. */
function writeIndex(input: number | undefined, out: number, algo: 'sha1' | 'sha256', changes: IndexChange[]): void {
  const rawLen = algo === 'sha1' ? 20 : 32;
  const sorted = [...changes].sort((a, b) => Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8')));
  // Pass 1, the only one that looks at every entry: where each entry starts, which are racy, where each of our
  // paths is (entry ordinal) or would go, and git's D/F rules, by merging the sorted entries with the sorted
  // targets: our paths, their folders, and "<our path>/" (entries below a path sort right after it).
  // Like git (since 2.13), the old trailer is not verified: `git fsck` does that.
  const targets: Target[] = [];
  const dirSeen = new Set<string>();
  sorted.forEach((c, i) => {
    targets.push({ name: Buffer.from(c.path, 'utf8'), kind: Kind.Ours, change: i }, { name: Buffer.from(c.path + '/', 'utf8'), kind: Kind.Below, change: i });
    for (let d = path.posix.dirname(c.path); d !== '.' && !dirSeen.has(d); d = path.posix.dirname(d)) {
      dirSeen.add(d);
      targets.push({ name: Buffer.from(d, 'utf8'), kind: Kind.Folder, change: -1 });
    }
  });
  targets.sort((a, b) => Buffer.compare(a.name, b.name));
  const foundAt = new Int32Array(sorted.length).fill(-1);
  const insertAt = new Int32Array(sorted.length).fill(-1);
  /** File offsets of the size fields of racy entries, ascending. */
  const racy: number[] = [];

  let version = 2;
  let count = 0;
  let r: Reader | undefined;
  let starts = new Float64Array(1).fill(12);
  if (input !== undefined) {
    const st = fstatSync(input, { bigint: true });
    const indexSec = Number(st.mtimeNs / 1_000_000_000n);
    r = new Reader(input, Number(st.size));
    if (r.size < 12 + rawLen || !r.ensure(12) || r.buf.toString('latin1', 0, 4) !== 'DIRC') throw new NativeUnsupported('index header');
    version = r.buf.readUInt32BE(4);
    if (version !== 2 && version !== 3) throw new NativeUnsupported(`index version ${version}`);
    count = r.buf.readUInt32BE(8);
    starts = new Float64Array(count + 1);
    r.pos = 12;
    scanEntries(r, count, rawLen, version, indexSec, targets, sorted, foundAt, insertAt, racy, starts);
    starts[count] = r.offset;
    // Extensions: only the ones this writer knows how to carry.
    while (r.offset < r.size - rawLen) {
      if (!r.ensure(8)) throw new NativeUnsupported('index extension header');
      const sig = r.buf.toString('latin1', r.pos, r.pos + 4);
      const size = r.buf.readUInt32BE(r.pos + 4);
      if (sig !== 'TREE' && sig !== 'REUC' && sig !== 'EOIE' && sig !== 'IEOT') throw new NativeUnsupported(`index extension ${sig}`);
      if (r.offset + 8 + size > r.size - rawLen) throw new NativeUnsupported('index extension size');
      r.seek(r.offset + 8 + size);
    }
  }
  sorted.forEach((_, i) => {
    if (foundAt[i] < 0 && insertAt[i] < 0) insertAt[i] = count;
  });

  // Pass 2: the new index, copied range by range from the old file; entries change only where something happens.
  type At = { replace?: IndexChange | null; insert: IndexChange[] };
  const events = new Map<number, At>();
  const at = (i: number) => events.get(i) ?? events.set(i, { insert: [] }).get(i)!;
  let total = count;
  sorted.forEach((c, i) => {
    if (foundAt[i] >= 0) {
      at(foundAt[i]).replace = c.staged ? c : null;
      if (!c.staged) total--;
    } else if (c.staged) {
      at(insertAt[i]).insert.push(c);
      total++;
    }
  });
  const entry = (c: IndexChange) => entryBytes(Buffer.from(c.path, 'utf8'), Buffer.from(c.staged!.oid, 'hex'), c.staged!.mode, c.staged!.stat);
  const w = new Writer(out, algo);
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(version, 4);
  header.writeUInt32BE(total, 8);
  w.put(header);
  // Copies a range of the old file; the size fields of racy entries in it go out as zeros.
  let nextRacy = 0;
  const copy = (from: number, to: number) => {
    if (!r) return;
    r.seek(from);
    while (r.offset < to) {
      const n = Math.min(r.buf.length, to - r.offset);
      if (!r.ensure(n)) throw new NativeUnsupported('index is cut short');
      const lo = r.offset;
      const hi = lo + n;
      while (nextRacy < racy.length && racy[nextRacy] + 4 <= lo) nextRacy++;
      for (let k = nextRacy; k < racy.length && racy[k] < hi; k++) {
        r.buf.fill(0, r.pos + Math.max(0, racy[k] - lo), r.pos + Math.min(n, racy[k] + 4 - lo));
      }
      w.put(r.buf, r.pos, r.pos + n);
      r.pos += n;
    }
  };
  let from = 0;
  for (const i of [...events.keys()].sort((x, y) => x - y)) {
    const e = events.get(i)!;
    copy(starts[from], starts[i]);
    for (const c of e.insert) w.put(entry(c));
    from = i;
    if (i === count) break;
    if (e.replace !== undefined) {
      if (e.replace) w.put(entry(e.replace));
      from = i + 1;
    }
  }
  copy(starts[from], starts[count]);
  // Extensions: TREE invalidated along our paths, REUC kept, EOIE and IEOT (offsets into the old file) dropped.
  if (r) {
    r.seek(starts[count]);
    while (r.offset < r.size - rawLen) {
      r.ensure(8);
      const head = Buffer.from(r.buf.subarray(r.pos, r.pos + 8));
      const sig = head.toString('latin1', 0, 4);
      const size = head.readUInt32BE(4);
      r.pos += 8;
      if (sig === 'TREE' || sig === 'REUC') {
        let data = r.take(size);
        if (sig === 'TREE' && size > 0) {
          data = invalidateCacheTree(data, rawLen, sorted.map((c) => c.path));
          head.writeUInt32BE(data.length, 4);
        }
        w.put(head);
        w.put(data);
      } else {
        r.seek(r.offset + size);
      }
    }
  }
  w.finish();
}

/**
 * Pass 1's walk over every entry, kept in a function of its own: it is the one hot loop of a run, and V8 optimises
 * a small function quickly (optimising a big one ran on past the end of the work and held up the exit by ~10 ms).
 */
function scanEntries(r: Reader, count: number, rawLen: number, version: number, indexSec: number, targets: Target[], sorted: IndexChange[], foundAt: Int32Array, insertAt: Int32Array, racy: number[], starts: Float64Array): void {
  const fixed = 40 + rawLen + 2;
  let t = 0;
  for (let i = 0; i < count; i++) {
    if (!r.ensure(fixed + 2)) throw new NativeUnsupported('index entries run past the end');
    let b = r.buf;
    const flags = (b[r.pos + fixed - 2] << 8) | b[r.pos + fixed - 1];
    if (flags & 0x4000 && version < 3) throw new NativeUnsupported('extended flag in a version 2 index');
    const off = flags & 0x4000 ? fixed + 2 : fixed;
    const len = (flags & 0xfff) === 0xfff ? longNameLength(r, off) : flags & 0xfff;
    const size = (off + len + 8) & ~7;
    if (!r.ensure(size)) throw new NativeUnsupported('index entries run past the end');
    b = r.buf;
    const pos = r.pos;
    starts[i] = r.base + pos;
    // An entry not older than the index it was read from may hide a same-second change: git zeroes its size
    // when it rewrites the index, so the content is compared next time; so does pass 2 (`copy`).
    if (indexSec > 0 && b[pos + 8] * 0x1000000 + ((b[pos + 9] << 16) | (b[pos + 10] << 8) | b[pos + 11]) >= indexSec) racy.push(r.base + pos + 36);
    const at = pos + off;
    while (t < targets.length && compareName(b, at, len, targets[t].name) > 0) {
      const c = targets[t].change;
      if (targets[t].kind === Kind.Ours && foundAt[c] < 0 && insertAt[c] < 0) insertAt[c] = i;
      t++;
    }
    if (t < targets.length && compareName(b, at, len, targets[t].name) === 0) {
      const target = targets[t];
      if (target.kind === Kind.Folder) throw new NativeUnsupported(`${target.name.toString('utf8')} is a file in the index`);
      if (target.kind === Kind.Ours) {
        const p = sorted[target.change].path;
        if ((flags & 0x3000) !== 0 || foundAt[target.change] >= 0) throw new NativeUnsupported(`${p} has conflicts in the index`);
        if (flags & 0x4000) throw new NativeUnsupported(`${p} is skip-worktree or intent-to-add`);
        foundAt[target.change] = i;
      }
    }
    if (t > 0 && targets[t - 1].kind === Kind.Below) {
      const below = targets[t - 1].name;
      if (len > below.length && compareName(b, at, below.length, below) === 0) throw new NativeUnsupported(`${sorted[targets[t - 1].change].path} is a folder in the index`);
    }
    r.pos += size;
  }
}

/** Length of a name of 0xfff bytes or more (the flags only say "long"): up to its NUL. */
function longNameLength(r: Reader, off: number): number {
  for (let want = off + 4096; ; want += 4096) {
    const ok = r.ensure(want);
    const nul = r.buf.indexOf(0, r.pos + off);
    if (nul >= 0 && nul < r.len) return nul - r.pos - off;
    if (!ok) throw new NativeUnsupported('index entry name runs past the end');
  }
}
