/**
 * Just enough of git's object database, read and written in process, for a commit that touches a dozen paths:
 * read HEAD's commit and the trees along our paths (loose objects or packs, deltas resolved), and write new
 * loose blobs, trees and a commit. Each process git would spawn costs 10+ ms on a small machine, which is most
 * of this generator's own time; reading three trees costs well under one.
 *
 * Anything this module does not know for certain (alternates, replace refs, an unknown index or pack version,
 * a missing object) throws NativeUnsupported, and the caller lets git do the work instead.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { constants as zc, deflateSync, inflateSync } from 'node:zlib';

export class NativeUnsupported extends Error {}

/** The id git gives an object: the hash of `<type> <size>NUL<body>`. */
export function objectId(algo: 'sha1' | 'sha256', type: ObjectType, body: Buffer): string {
  return createHash(algo).update(`${type} ${body.length}\0`).update(body).digest('hex');
}

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';
export interface GitObject {
  type: ObjectType;
  body: Buffer;
}

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;

interface PackIndex {
  idxPath: string;
  packPath: string;
  fanout: Uint32Array;
  count: number;
}

export class ObjectStore {
  readonly algo: 'sha1' | 'sha256';
  readonly rawLen: number;
  #packs?: PackIndex[];
  #cache = new Map<string, GitObject>();

  constructor(
    readonly objectsDir: string,
    algo: 'sha1' | 'sha256',
  ) {
    this.algo = algo;
    this.rawLen = algo === 'sha1' ? 20 : 32;
    if (existsSync(path.join(objectsDir, 'info', 'alternates'))) throw new NativeUnsupported('alternates');
  }

  /** The id git gives an object of this type and body. */
  hash(type: ObjectType, body: Buffer): string {
    return objectId(this.algo, type, body);
  }

  /** Read an object; NativeUnsupported when it is nowhere this store looks. */
  read(oid: string): GitObject {
    const hit = this.#cache.get(oid);
    if (hit) return hit;
    const obj = this.#readLoose(oid) ?? this.#readPacked(oid);
    if (!obj) throw new NativeUnsupported(`object ${oid} not found`);
    if (this.hash(obj.type, obj.body) !== oid) throw new NativeUnsupported(`object ${oid} does not match its id`);
    this.#cache.set(oid, obj);
    return obj;
  }

  /**
   * Write a loose object (unless it is already loose) the way git does: deflated into a temporary file in the
   * fan-out folder, then hard-linked to its name, read-only. Returns its id.
   */
  write(type: ObjectType, body: Buffer): string {
    const oid = this.hash(type, body);
    const dir = path.join(this.objectsDir, oid.slice(0, 2));
    const file = path.join(dir, oid.slice(2));
    if (existsSync(file)) return oid;
    mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `tmp_obj_cnpg_${process.pid}_${Math.random().toString(36).slice(2)}`);
    const data = deflateSync(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]), { level: zc.Z_BEST_SPEED });
    const fd = openSync(tmp, 'wx', 0o444);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
    this.#cache.set(oid, { type, body });
    return oid;
  }

  #readLoose(oid: string): GitObject | undefined {
    let raw: Buffer;
    try {
      raw = readFileSync(path.join(this.objectsDir, oid.slice(0, 2), oid.slice(2)));
    } catch {
      return undefined;
    }
    const data = inflateSync(raw);
    const nul = data.indexOf(0);
    const m = /^(commit|tree|blob|tag) (\d+)$/.exec(data.subarray(0, nul).toString('latin1'));
    if (!m || Number(m[2]) !== data.length - nul - 1) throw new NativeUnsupported(`loose object ${oid} is malformed`);
    return { type: m[1] as ObjectType, body: data.subarray(nul + 1) };
  }

  #indexes(): PackIndex[] {
    if (this.#packs) return this.#packs;
    const dir = path.join(this.objectsDir, 'pack');
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.idx'));
    } catch {
      /* no packs */
    }
    // Only the header and fan-out table are read here; lookups read the few id and offset slots they probe
    // (a big repo's index is megabytes, and reading it whole would cost more than the lookups).
    this.#packs = names.map((n) => {
      const idxPath = path.join(dir, n);
      const head = Buffer.alloc(8 + 256 * 4);
      const fd = openSync(idxPath, 'r');
      try {
        if (readSync(fd, head, 0, head.length, 0) !== head.length) throw new NativeUnsupported(`pack index ${n} is cut short`);
      } finally {
        closeSync(fd);
      }
      if (head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) throw new NativeUnsupported(`pack index ${n} is not version 2`);
      const fanout = new Uint32Array(256);
      for (let i = 0; i < 256; i++) fanout[i] = head.readUInt32BE(8 + i * 4);
      return { idxPath, packPath: path.join(dir, n.slice(0, -4) + '.pack'), fanout, count: fanout[255] };
    });
    return this.#packs;
  }

  /** Offset of `oid` in a pack, by binary search of the index's sorted ids. */
  #find(p: PackIndex, raw: Buffer): number | undefined {
    const first = raw[0];
    let lo = first === 0 ? 0 : p.fanout[first - 1];
    let hi = p.fanout[first];
    if (lo >= hi) return undefined;
    const base = 8 + 256 * 4;
    const slot = Buffer.alloc(Math.max(this.rawLen, 8));
    const fd = openSync(p.idxPath, 'r');
    const at = (len: number, position: number): Buffer => {
      if (readSync(fd, slot, 0, len, position) !== len) throw new NativeUnsupported('pack index is cut short');
      return slot.subarray(0, len);
    };
    try {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = Buffer.compare(at(this.rawLen, base + mid * this.rawLen), raw);
        if (c === 0) {
          const offsets = base + p.count * (this.rawLen + 4);
          const small = at(4, offsets + mid * 4).readUInt32BE(0);
          if (!(small & 0x80000000)) return small;
          return Number(at(8, offsets + p.count * 4 + (small & 0x7fffffff) * 8).readBigUInt64BE(0));
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
      }
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  #readPacked(oid: string): GitObject | undefined {
    const raw = Buffer.from(oid, 'hex');
    for (const p of this.#indexes()) {
      const offset = this.#find(p, raw);
      if (offset === undefined) continue;
      const fd = openSync(p.packPath, 'r');
      try {
        return this.#unpack(fd, offset, 0);
      } finally {
        closeSync(fd);
      }
    }
    return undefined;
  }

  /** The object at `offset` of an open pack, its delta chain applied. */
  #unpack(fd: number, offset: number, depth: number): GitObject {
    if (depth > 10_000) throw new NativeUnsupported('delta chain too deep');
    const head = Buffer.alloc(32 + this.rawLen);
    const got = readSync(fd, head, 0, head.length, offset);
    let pos = 0;
    let byte = head[pos++];
    const typeNum = (byte >> 4) & 7;
    let size = byte & 15;
    let shift = 4;
    while (byte & 0x80) {
      byte = head[pos++];
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    let base: GitObject | undefined;
    if (typeNum === OFS_DELTA) {
      byte = head[pos++];
      let rel = byte & 0x7f;
      while (byte & 0x80) {
        byte = head[pos++];
        rel = (rel + 1) * 128 + (byte & 0x7f);
      }
      base = this.#unpack(fd, offset - rel, depth + 1);
    } else if (typeNum === REF_DELTA) {
      base = this.read(head.subarray(pos, pos + this.rawLen).toString('hex'));
      pos += this.rawLen;
    } else if (!TYPES[typeNum]) {
      throw new NativeUnsupported(`pack entry type ${typeNum}`);
    }
    if (pos > got) throw new NativeUnsupported('pack entry header cut short');
    const data = this.#inflateAt(fd, offset + pos, size);
    if (!base) return { type: TYPES[typeNum], body: data };
    return { type: base.type, body: applyDelta(base.body, data) };
  }

  /** Inflate `size` bytes from a zlib stream starting at `start`, reading more of the pack until they are all there. */
  #inflateAt(fd: number, start: number, size: number): Buffer {
    const total = fstatSync(fd).size;
    for (let want = Math.max(256, size + (size >> 2) + 64); ; want *= 2) {
      const len = Math.min(want, total - start);
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, start);
      const out = inflateSync(buf, { finishFlush: zc.Z_SYNC_FLUSH });
      if (out.length >= size) return out.subarray(0, size);
      if (len === total - start) throw new NativeUnsupported('pack entry cut short');
    }
  }
}

function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let pos = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    let b: number;
    do {
      b = delta[pos++];
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return n;
  };
  if (varint() !== base.length) throw new NativeUnsupported('delta base size mismatch');
  const out = Buffer.alloc(varint());
  let o = 0;
  while (pos < delta.length) {
    const op = delta[pos++];
    if (op & 0x80) {
      let off = 0;
      let len = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) off += delta[pos++] * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (1 << (4 + i))) len += delta[pos++] << (8 * i);
      if (len === 0) len = 0x10000;
      if (off + len > base.length || o + len > out.length) throw new NativeUnsupported('delta copy out of range');
      base.copy(out, o, off, off + len);
      o += len;
    } else if (op > 0) {
      if (o + op > out.length) throw new NativeUnsupported('delta insert out of range');
      delta.copy(out, o, pos, pos + op);
      pos += op;
      o += op;
    } else {
      throw new NativeUnsupported('delta opcode 0');
    }
  }
  if (o !== out.length) throw new NativeUnsupported('delta result size mismatch');
  return out;
}

export interface TreeEntry {
  mode: string;
  oid: string;
}

/** A tree's entries, by name, in the order they were stored. */
export function parseTree(body: Buffer, rawLen: number): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  for (let p = 0; p < body.length; ) {
    const sp = body.indexOf(32, p);
    const nul = body.indexOf(0, sp);
    if (sp < 0 || nul < 0) throw new NativeUnsupported('tree is malformed');
    entries.set(body.subarray(sp + 1, nul).toString('utf8'), { mode: body.subarray(p, sp).toString('latin1'), oid: body.subarray(nul + 1, nul + 1 + rawLen).toString('hex') });
    p = nul + 1 + rawLen;
  }
  return entries;
}

/** Git's tree order: names compared bytewise, a folder as if its name ended in "/". */
export function treeOrder(a: [string, TreeEntry], b: [string, TreeEntry]): number {
  const ka = Buffer.from(a[0] + (a[1].mode === '40000' ? '/' : ''), 'utf8');
  const kb = Buffer.from(b[0] + (b[1].mode === '40000' ? '/' : ''), 'utf8');
  return Buffer.compare(ka, kb);
}

/** A tree object's body for these entries, in git's order. */
export function treeBody(entries: Map<string, TreeEntry>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, e] of [...entries].sort(treeOrder)) parts.push(Buffer.from(`${e.mode} ${name}\0`, 'utf8'), Buffer.from(e.oid, 'hex'));
  return Buffer.concat(parts);
}

/** A ref's value as stored (its loose file, else its packed-refs line), or undefined when it does not exist. */
export function refValue(commonDir: string, ref: string): string | undefined {
  try {
    return readFileSync(path.join(commonDir, ref), 'utf8').trim();
  } catch {
    /* not loose */
  }
  let packed = '';
  try {
    packed = readFileSync(path.join(commonDir, 'packed-refs'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of packed.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const sp = line.indexOf(' ');
    if (sp > 0 && line.slice(sp + 1) === ref) return line.slice(0, sp);
  }
  return undefined;
}

/**
 * The branch HEAD names and the commit it is at (undefined on an unborn branch). NativeUnsupported for a detached
 * HEAD or a ref that does not hold a plain commit id.
 */
export function readHead(gitDir: string, commonDir: string): { ref: string; oid?: string } {
  const m = /^ref: (refs\/heads\/\S+)\n?$/.exec(readFileSync(path.join(gitDir, 'HEAD'), 'utf8'));
  if (!m) throw new NativeUnsupported('HEAD is not a branch');
  const oid = refValue(commonDir, m[1]);
  if (oid !== undefined && !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(oid)) throw new NativeUnsupported(`${m[1]} is not a plain ref`);
  return { ref: m[1], oid };
}
