/**
 * Staging our paths in git's index in process, as `git update-index --add --remove -- <paths>` would: the other
 * entries are copied byte for byte, ours are replaced, added or removed with the stat data git records, and the
 * cache tree is invalidated along our paths. In a 20,000-file repo git spends ~35 ms reading, checking and
 * rewriting the index; this takes a few.
 *
 * Only index versions 2 and 3 and the extensions git itself writes by default (TREE, REUC; EOIE and IEOT are
 * dropped, as git may) are handled. Anything else (version 4, split or sparse index, untracked cache, fsmonitor,
 * conflicts, skip-worktree or intent-to-add entries on our paths, a file where a folder is) throws
 * NativeUnsupported before anything is written, and the caller lets git do it.
 *
 * The new index is written to `index.lock` (taken the way git takes it) and only renamed over `index` by
 * `commit()`, so a commit that fails afterwards leaves the index as it was (`rollback()`).
 */
import { createHash } from 'node:crypto';
import { type BigIntStats, closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
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

interface TreeNode {
  name: Buffer;
  count: number;
  oid?: Buffer;
  children: TreeNode[];
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

function parseCacheTree(data: Buffer, rawLen: number): TreeNode {
  let pos = 0;
  const node = (): TreeNode => {
    const nul = data.indexOf(0, pos);
    const name = data.subarray(pos, nul);
    const sp = data.indexOf(32, nul);
    const nl = data.indexOf(10, sp);
    if (nul < 0 || sp < 0 || nl < 0) throw new NativeUnsupported('cache tree is malformed');
    const count = Number(data.subarray(nul + 1, sp).toString('latin1'));
    const subtrees = Number(data.subarray(sp + 1, nl).toString('latin1'));
    if (!Number.isInteger(count) || !Number.isInteger(subtrees) || subtrees < 0) throw new NativeUnsupported('cache tree is malformed');
    pos = nl + 1;
    let oid: Buffer | undefined;
    if (count >= 0) {
      oid = data.subarray(pos, pos + rawLen);
      pos += rawLen;
    }
    const children: TreeNode[] = [];
    for (let i = 0; i < subtrees; i++) children.push(node());
    return { name, count, oid, children };
  };
  const root = node();
  if (pos !== data.length) throw new NativeUnsupported('cache tree has trailing bytes');
  return root;
}

function serializeCacheTree(root: TreeNode): Buffer {
  const parts: Buffer[] = [];
  const walk = (n: TreeNode) => {
    parts.push(n.name, Buffer.from(`\0${n.count} ${n.children.length}\n`, 'latin1'));
    if (n.count >= 0 && n.oid) parts.push(n.oid);
    n.children.forEach(walk);
  };
  walk(root);
  return Buffer.concat(parts);
}

/** git's cache_tree_invalidate_path: every folder along the path loses its tree id; a subtree named like the file goes. */
function invalidate(root: TreeNode, p: string): void {
  const parts = p.split('/');
  let node: TreeNode | undefined = root;
  for (let i = 0; node; i++) {
    node.count = -1;
    node.oid = undefined;
    const name = Buffer.from(parts[i], 'utf8');
    const at: number = node.children.findIndex((c) => c.name.equals(name));
    if (i === parts.length - 1) {
      if (at >= 0) node.children.splice(at, 1);
      return;
    }
    node = at >= 0 ? node.children[at] : undefined;
  }
}

/**
 * Prepare the index with our paths staged; nothing is visible to git until `commit()`.
 * `algo` is the repo's object format; `changes` need not be sorted.
 */
export function stageInIndex(gitDir: string, algo: 'sha1' | 'sha256', changes: IndexChange[]): StagedIndex {
  const indexPath = path.join(gitDir, 'index');
  const lockPath = indexPath + '.lock';
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new NativeUnsupported('index.lock exists');
    throw e;
  }
  try {
    writeSync(fd, newIndex(indexPath, algo, changes));
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(lockPath);
    throw e;
  }
  let done = false;
  return {
    commit() {
      if (done) return;
      done = true;
      renameSync(lockPath, indexPath);
    },
    rollback() {
      if (done) return;
      done = true;
      unlinkSync(lockPath);
    },
  };
}

/** The bytes of the index with `changes` applied (read under the lock). */
function newIndex(indexPath: string, algo: 'sha1' | 'sha256', changes: IndexChange[]): Buffer {
  const rawLen = algo === 'sha1' ? 20 : 32;
  let data: Buffer | undefined;
  let indexSec = 0;
  try {
    data = readFileSync(indexPath);
    indexSec = Number(statSync(indexPath, { bigint: true }).mtimeNs / 1_000_000_000n);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }

  // Entries: [start, end) and name of each, in index order.
  let version = 2;
  const starts: number[] = [];
  const ends: number[] = [];
  const names: Buffer[] = [];
  const stages: number[] = [];
  const extended: boolean[] = [];
  const keptExtensions: Buffer[] = [];
  const racy = new Map<number, Buffer>();
  let cacheTree: TreeNode | undefined;
  if (data) {
    if (data.length < 12 + rawLen || data.toString('latin1', 0, 4) !== 'DIRC') throw new NativeUnsupported('index header');
    version = data.readUInt32BE(4);
    if (version !== 2 && version !== 3) throw new NativeUnsupported(`index version ${version}`);
    const body = data.subarray(0, data.length - rawLen);
    const trailer = data.subarray(data.length - rawLen);
    if (!createHash(algo).update(body).digest().equals(trailer)) throw new NativeUnsupported('index checksum');
    const count = data.readUInt32BE(8);
    let pos = 12;
    const nameOff = 40 + rawLen + 2;
    for (let i = 0; i < count; i++) {
      const flags = data.readUInt16BE(pos + 40 + rawLen);
      const isExt = (flags & 0x4000) !== 0;
      if (isExt && version < 3) throw new NativeUnsupported('extended flag in a version 2 index');
      const off = nameOff + (isExt ? 2 : 0);
      let len = flags & 0xfff;
      if (len === 0xfff) len = data.indexOf(0, pos + off) - (pos + off);
      const end = pos + ((off + len + 8) & ~7);
      if (end > body.length) throw new NativeUnsupported('index entries run past the end');
      starts.push(pos);
      ends.push(end);
      names.push(data.subarray(pos + off, pos + off + len));
      stages.push((flags >> 12) & 3);
      extended.push(isExt);
      // As git does when it rewrites an index: an entry not older than the index it was read from may hide a
      // same-second change, so its size is zeroed and git compares the content next time.
      if (indexSec > 0 && data.readUInt32BE(pos + 8) >= indexSec) {
        const smudged = Buffer.from(data.subarray(pos, end));
        smudged.writeUInt32BE(0, 36);
        racy.set(i, smudged);
      }
      pos = end;
    }
    while (pos < body.length) {
      if (pos + 8 > body.length) throw new NativeUnsupported('index extension header');
      const sig = data.toString('latin1', pos, pos + 4);
      const size = data.readUInt32BE(pos + 4);
      const ext = data.subarray(pos + 8, pos + 8 + size);
      if (pos + 8 + size > body.length) throw new NativeUnsupported('index extension size');
      if (sig === 'TREE') cacheTree = size > 0 ? parseCacheTree(ext, rawLen) : undefined;
      else if (sig === 'REUC') keptExtensions.push(data.subarray(pos, pos + 8 + size));
      else if (sig !== 'EOIE' && sig !== 'IEOT') throw new NativeUnsupported(`index extension ${sig}`);
      pos += 8 + size;
    }
  }

  const find = (name: Buffer): { at: number; found: boolean } => {
    let lo = 0;
    let hi = names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Buffer.compare(names[mid], name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return { at: lo, found: lo < names.length && names[lo].equals(name) };
  };

  // What happens at each entry position: replaced/removed existing entries, new ones inserted before an index.
  const replace = new Map<number, Buffer | null>();
  const insert = new Map<number, Buffer[]>();
  const sorted = [...changes].sort((a, b) => Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8')));
  for (const c of sorted) {
    const name = Buffer.from(c.path, 'utf8');
    const { at, found } = find(name);
    if (found) {
      if (stages[at] !== 0 || (at + 1 < names.length && names[at + 1].equals(name))) throw new NativeUnsupported(`${c.path} has conflicts in the index`);
      if (extended[at]) throw new NativeUnsupported(`${c.path} is skip-worktree or intent-to-add`);
    }
    // A folder at our path, or a file where one of our folders is: git's D/F rules, left to git.
    const below = Buffer.from(c.path + '/', 'utf8');
    const next = found ? at + 1 : at;
    if (next < names.length && names[next].subarray(0, below.length).equals(below)) throw new NativeUnsupported(`${c.path} is a folder in the index`);
    for (let d = path.posix.dirname(c.path); d !== '.'; d = path.posix.dirname(d)) {
      if (find(Buffer.from(d, 'utf8')).found) throw new NativeUnsupported(`${d} is a file in the index`);
    }
    const bytes = c.staged ? entryBytes(name, Buffer.from(c.staged.oid, 'hex'), c.staged.mode, c.staged.stat) : null;
    if (found) replace.set(at, bytes);
    else if (bytes) insert.set(at, [...(insert.get(at) ?? []), bytes]);
    if (cacheTree) invalidate(cacheTree, c.path);
  }

  for (const [i, smudged] of racy) if (!replace.has(i)) replace.set(i, smudged);
  const parts: Buffer[] = [Buffer.alloc(12)];
  let count = 0;
  let runStart = -1;
  const flushRun = (endAt: number) => {
    if (runStart >= 0 && data) parts.push(data.subarray(starts[runStart], ends[endAt - 1]));
    runStart = -1;
  };
  for (let i = 0; i <= names.length; i++) {
    const ins = insert.get(i);
    if (ins || replace.has(i) || i === names.length) flushRun(i);
    if (ins) {
      parts.push(...ins);
      count += ins.length;
    }
    if (i === names.length) break;
    if (replace.has(i)) {
      const r = replace.get(i);
      if (r) {
        parts.push(r);
        count++;
      }
    } else {
      if (runStart < 0) runStart = i;
      count++;
    }
  }
  parts[0].write('DIRC', 0, 'latin1');
  parts[0].writeUInt32BE(version, 4);
  parts[0].writeUInt32BE(count, 8);
  if (cacheTree) {
    const t = serializeCacheTree(cacheTree);
    const h = Buffer.alloc(8);
    h.write('TREE', 0, 'latin1');
    h.writeUInt32BE(t.length, 4);
    parts.push(h, t);
  }
  parts.push(...keptExtensions);
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash(algo).update(body).digest()]);
}
