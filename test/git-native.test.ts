// The in-process git pieces the fast commit rests on, each checked against git itself: every object of a repo read
// back as `git cat-file` prints it (loose, packed with offset and with ref deltas, sha1 and sha256), config files
// read as `git config` reads them, identities as `git var` makes them, and whole runs whose commit, index and
// reflog are what git's own commands give (or git is used when a filter would change what is stored).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseGitConfig } from '../src/core/git-config.js';
import { type IndexChange, stageInIndex } from '../src/core/git-index.js';
import { moveRef } from '../src/core/git-ref.js';
import { NativeUnsupported, ObjectStore, parseTree } from '../src/core/git-store.js';
import { nativeIdent } from '../src/core/git-commit.js';
import { OPERATOR, bin, commitCount, git, read, sh, tmpDir, tmpRepo, writeFile } from './helpers/repo.js';

/** Every object git has, as `git cat-file --batch-all-objects --batch` prints them. */
function allObjects(repo: string): Map<string, { type: string; body: Buffer }> {
  const r = spawnSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: repo, maxBuffer: 1 << 28 });
  const out = r.stdout;
  const objects = new Map<string, { type: string; body: Buffer }>();
  for (let pos = 0; pos < out.length; ) {
    const nl = out.indexOf(10, pos);
    const [oid, type, size] = out.subarray(pos, nl).toString().split(' ');
    const body = out.subarray(nl + 1, nl + 1 + Number(size));
    objects.set(oid, { type, body });
    pos = nl + 1 + Number(size) + 1;
  }
  return objects;
}

/** A repo whose files change over 30 commits, so repacking makes delta chains. */
function historyRepo(format: 'sha1' | 'sha256' = 'sha1'): string {
  const repo = tmpRepo({}, { git: false });
  git(repo, 'init', '-q', '-b', 'main', `--object-format=${format}`);
  let text = '';
  for (let i = 0; i < 30; i++) {
    text += `line ${i}: ${'x'.repeat(i * 7)}\n`;
    writeFile(repo, 'a/b/c.txt', text);
    writeFile(repo, `a/n${i % 5}.txt`, `${i}\n${text.slice(0, 200)}`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', `c${i}`);
  }
  return repo;
}

function expectStoreMatchesGit(repo: string, format: 'sha1' | 'sha256' = 'sha1'): number {
  const store = new ObjectStore(path.join(repo, '.git', 'objects'), format);
  const objects = allObjects(repo);
  for (const [oid, o] of objects) {
    const got = store.read(oid);
    expect({ oid, type: got.type }).toEqual({ oid, type: o.type });
    expect(got.body.equals(o.body)).toBe(true);
  }
  return objects.size;
}

describe('object store', () => {
  test('loose objects, then packs with offset deltas, then with ref deltas: every object reads as git prints it', () => {
    const repo = historyRepo();
    expect(expectStoreMatchesGit(repo)).toBeGreaterThan(100);
    git(repo, 'gc', '-q', '--aggressive');
    expect(git(repo, 'count-objects', '-v')).toMatch(/^count: 0$/m);
    const idx = readdirSync(path.join(repo, '.git/objects/pack')).find((n) => n.endsWith('.idx'))!;
    expect(git(repo, 'verify-pack', '-v', path.join(repo, '.git/objects/pack', idx))).toMatch(/^chain length = [2-9]/m);
    expectStoreMatchesGit(repo);
    git(repo, '-c', 'repack.useDeltaBaseOffset=false', 'repack', '-q', '-a', '-d', '-f');
    expectStoreMatchesGit(repo);
  });

  test('a sha256 repo, packed', () => {
    const repo = historyRepo('sha256');
    git(repo, 'gc', '-q');
    expectStoreMatchesGit(repo, 'sha256');
  });

  test('objects it writes are the ones git reads back, and git computes the same ids', () => {
    const repo = tmpRepo();
    const store = new ObjectStore(path.join(repo, '.git', 'objects'), 'sha1');
    const blob = store.write('blob', Buffer.from('hello\nü\n'));
    expect(git(repo, 'hash-object', '--stdin').length).toBeGreaterThan(0);
    expect(spawnSync('git', ['hash-object', '--stdin'], { cwd: repo, input: 'hello\nü\n', encoding: 'utf8' }).stdout.trim()).toBe(blob);
    expect(git(repo, 'cat-file', 'blob', blob)).toBe('hello\nü\n');
    const tree = store.write('tree', Buffer.concat([Buffer.from('100644 x.txt\0'), Buffer.from(blob, 'hex')]));
    expect(git(repo, 'ls-tree', tree)).toBe(`100644 blob ${blob}\tx.txt\n`);
    expect(parseTree(store.read(tree).body, 20).get('x.txt')).toEqual({ mode: '100644', oid: blob });
    expect(sh(repo, 'git', ['fsck', '--strict', '--no-dangling']).status).toBe(0);
  });
});

describe('git config files', () => {
  test('values read as git config reads them: sections, subsections, quotes, escapes, comments, continuations', () => {
    const repo = tmpRepo();
    const text = [
      '# comment',
      '[user]',
      '\tname = "  Ada  Lovelace "  ; trailing comment',
      '\temail=ada@example.com#not part',
      '[User]',
      '  NAME = Ada  Byron   ',
      '[remote "Origin.X"]',
      '  url = https://example.com/a\\',
      'b.git',
      '  fetch = +refs/heads/*:refs/remotes/origin/*',
      '[core] autocrlf = false',
      '\tbare',
      '[i18n "sub \\"q\\""]',
      '\tkey = "tab\\there" and "\\\\ back"',
      '[section.Sub]',
      '\tk = v',
      '',
    ].join('\n');
    const file = path.join(repo, 'test.config');
    writeFileSync(file, text);
    const fromGit = new Map<string, (string | null)[]>();
    for (const rec of git(repo, 'config', '-f', file, '-z', '--list').split('\0').filter(Boolean)) {
      const nl = rec.indexOf('\n');
      const [k, v] = nl < 0 ? [rec, null] : [rec.slice(0, nl), rec.slice(nl + 1)];
      // git prints section and key lower-cased and the subsection as written
      fromGit.set(k, [...(fromGit.get(k) ?? []), v]);
    }
    const ours = parseGitConfig(text);
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(fromGit));
  });

  test('a line git would refuse is refused', () => {
    expect(() => parseGitConfig('[user\nname = x\n')).toThrow(/line 1/);
    expect(() => parseGitConfig('name = x\n')).toThrow(/outside any section/);
    expect(() => parseGitConfig('[a]\nk = "open\n')).toThrow();
  });
});

describe('identity', () => {
  const when = new Date();
  const cases: [string, Record<string, string>, string][] = [
    ['environment only', { GIT_AUTHOR_NAME: 'Env Name', GIT_AUTHOR_EMAIL: 'env@example.com' }, ''],
    ['user.* from config', {}, '[user]\n name = Conf Name\n email = conf@example.com\n'],
    ['author.* over user.*', {}, '[user]\n name = U\n email = u@example.com\n[author]\n name = A Person\n email = a@example.com\n'],
    ['EMAIL when no email is configured', { EMAIL: 'mail@example.com' }, '[user]\n name = Only Name\n'],
    ['user.email over EMAIL', { EMAIL: 'mail@example.com' }, '[user]\n name = N\n email = cfg@example.com\n'],
  ];
  for (const [name, env, config] of cases) {
    test(`as git var makes it: ${name}`, () => {
      const repo = tmpRepo();
      writeFileSync(path.join(repo, '.git', 'config'), git(repo, 'config', '--local', '--list').length > 0 ? read(repo, '.git/config') + config : config);
      const clean = { GIT_AUTHOR_NAME: '', GIT_AUTHOR_EMAIL: '', GIT_COMMITTER_NAME: '', GIT_COMMITTER_EMAIL: '' };
      const fullEnv: Record<string, string | undefined> = { ...process.env, HOME: repo, GIT_CONFIG_NOSYSTEM: '1', ...env };
      for (const k of Object.keys(clean)) if (!(k in env)) delete fullEnv[k];
      if (!('EMAIL' in env)) delete fullEnv.EMAIL;
      const r = spawnSync('git', ['var', 'GIT_AUTHOR_IDENT'], { cwd: repo, env: fullEnv as NodeJS.ProcessEnv, encoding: 'utf8' });
      expect(r.status).toBe(0);
      const cfg = parseGitConfig(read(repo, '.git/config'));
      const ours = nativeIdent(cfg, 'author', when, fullEnv as NodeJS.ProcessEnv);
      // the same person and time zone; the seconds are git's "now", a moment apart
      expect(ours?.replace(/ \d+ ([+-]\d{4})$/, ' T $1')).toBe(r.stdout.trim().replace(/ \d+ ([+-]\d{4})$/, ' T $1'));
    });
  }

  test("left to git when git would guess or clean it up, or the date is given", () => {
    const cfg = parseGitConfig('[user]\n name = Dr. Who.\n email = who@example.com\n');
    expect(nativeIdent(cfg, 'author', when, {})).toBeUndefined(); // trailing "." is cleaned by git
    expect(nativeIdent(parseGitConfig('[user]\n name = N\n'), 'author', when, {})).toBeUndefined(); // no email
    expect(nativeIdent(parseGitConfig('[user]\n name = N\n email = n@x\n'), 'committer', when, { GIT_COMMITTER_DATE: '@0 +0000' })).toBeUndefined();
    expect(nativeIdent(parseGitConfig('[user]\n name = N\n email = n@x\n'), 'committer', when, {})).toMatch(/^N <n@x> \d+ [+-]\d{4}$/);
  });
});

/** Run the bin with a `git` first on PATH that logs each subcommand before running the real one. */
function tracedBin(repo: string, args: string[], env: Record<string, string> = {}): { status: number; git: string[] } {
  const shim = path.join(repo, '.git', 'shim');
  mkdirSync(shim, { recursive: true });
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const log = path.join(shim, 'log');
  writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  writeFileSync(log, '');
  const r = bin(repo, args, { ...env, PATH: `${shim}:${process.env.PATH}` });
  return { status: r.status, git: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('a run committed in process', () => {
  test('no git process runs: objects, index and branch are written in process', () => {
    const repo = tmpRepo();
    expect(tracedBin(repo, ['--yes'])).toEqual({ status: 0, git: [] });
    expect(tracedBin(repo, ['--yes', '--chart-version', '0.26.1'])).toEqual({ status: 0, git: [] });
    expect(commitCount(repo)).toBe(3);
  });

  const toGit: [string, (repo: string) => Record<string, string> | void][] = [
    ['core.safecrlf set', (r) => void git(r, 'config', 'core.safecrlf', 'true')],
    ['core.fsync set', (r) => void git(r, 'config', 'core.fsync', 'committed')],
    ['a reference-transaction hook', (r) => writeFileSync(path.join(r, '.git/hooks/reference-transaction'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })],
    ['GIT_AUTHOR_DATE given', () => ({ GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z' })],
    ['a split index', (r) => void git(r, 'update-index', '--split-index')],
  ];
  for (const [what, setup] of toGit) {
    test(`left to git's plumbing, with the same result: ${what}`, () => {
      const repo = tmpRepo();
      const env = setup(repo) ?? {};
      const r = tracedBin(repo, ['--yes'], env);
      expect(r.status).toBe(0);
      expect(r.git).toContain('commit-tree');
      expect(commitCount(repo)).toBe(2);
      expect(git(repo, 'status', '--porcelain')).toBe('');
      if (env.GIT_AUTHOR_DATE) expect(git(repo, 'log', '-1', '--format=%aI').trim()).toBe('2026-01-02T03:04:05+00:00');
    });
  }

  test('the commit is the one git commit-tree makes from the same tree, parent, identity and time', () => {
    const repo = tmpRepo();
    const TZ = 'America/St_Johns'; // -0330 or -0230: a sign and half hours to get right
    expect(bin(repo, ['--yes'], { TZ }).status).toBe(0);
    const raw = git(repo, 'cat-file', 'commit', 'HEAD');
    const zone = sh(repo, 'git', ['var', 'GIT_COMMITTER_IDENT'], { TZ }).stdout.trim().slice(-5);
    expect(zone).toMatch(/^-0[23]30$/);
    expect(raw).toMatch(new RegExp(`^author Test User <test@example.com> \\d+ ${zone}$`, 'm'));
    const [, tree] = /^tree (\S+)$/m.exec(raw)!;
    const [, parent] = /^parent (\S+)$/m.exec(raw)!;
    const [, aDate] = /^author .* (\d+ [+-]\d{4})$/m.exec(raw)!;
    const [, cDate] = /^committer .* (\d+ [+-]\d{4})$/m.exec(raw)!;
    const message = raw.slice(raw.indexOf('\n\n') + 2);
    const again = sh(repo, 'git', ['commit-tree', tree, '-p', parent, '-m', message.replace(/\n$/, '')], { GIT_AUTHOR_DATE: `@${aDate}`, GIT_COMMITTER_DATE: `@${cDate}` });
    expect(again.stdout.trim()).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    // index = HEAD for our paths, nothing else staged or modified, reflog like git commit's, objects sound
    expect(sh(repo, 'git', ['diff', '--cached', '--quiet']).status).toBe(0);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'reflog', '-1', '--format=%gs').trim()).toBe('commit: feat(databases): add CloudNativePG operator manifests');
    expect(sh(repo, 'git', ['fsck', '--strict', '--no-dangling']).status).toBe(0);
  });

  test('a packed repo (after gc, with ref deltas): HEAD read from the pack, the bump commits on top', () => {
    const repo = historyRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    git(repo, '-c', 'repack.useDeltaBaseOffset=false', 'gc', '-q', '--aggressive');
    git(repo, 'pack-refs', '--all');
    expect(bin(repo, ['--yes', '--chart-version', '0.26.1']).status).toBe(0);
    expect(commitCount(repo)).toBe(32);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toMatch(/^chore\(databases\): bump .* 0\.26\.0 -> 0\.26\.1/);
    expect(git(repo, 'show', 'HEAD:a/b/c.txt')).toBe(read(repo, 'a/b/c.txt'));
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(sh(repo, 'git', ['fsck', '--strict', '--no-dangling']).status).toBe(0);
  });

  test('a clean filter on our files: git stores what its filter makes, as git commit would', () => {
    const repo = tmpRepo({ '.gitattributes': '*.yaml filter=upper\n' });
    git(repo, 'config', 'filter.upper.clean', 'tr a-z A-Z');
    git(repo, 'config', 'filter.upper.smudge', 'cat');
    const r = tracedBin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.git).toContain('mktree'); // git's plumbing, not the in-process objects
    expect(git(repo, 'show', `HEAD:${OPERATOR}/namespace.yaml`)).toBe(read(repo, `${OPERATOR}/namespace.yaml`).toUpperCase());
    expect(sh(repo, 'git', ['diff', '--cached', '--quiet']).status).toBe(0);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  test('an executable file of ours keeps its mode, and the repo owner\'s other trees are untouched', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CLUSTER_NAME: "infra"\n', 'z/keep.txt': 'k\n' });
    chmodSync(path.join(repo, 'kubernetes/clusters/infra/cluster-settings.yaml'), 0o755);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'exec');
    const z = git(repo, 'rev-parse', 'HEAD:z');
    expect(bin(repo, ['--yes']).status).toBe(0);
    expect(git(repo, 'ls-tree', 'HEAD', 'kubernetes/clusters/infra/cluster-settings.yaml')).toMatch(/^100755 /);
    expect(git(repo, 'rev-parse', 'HEAD:z')).toBe(z);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The index and the branch, against git's own update-index and update-ref
// ---------------------------------------------------------------------------------------------------------------

/** Stage `changes` in process in one copy of a repo and with `git update-index` in another; return both. */
function stageBothWays(make: () => string, changes: Record<string, string | null>): { ours: string; gits: string } {
  const ours = make();
  const gits = tmpDir('cnpg-git-');
  spawnSync('cp', ['-a', `${ours}/.`, gits]);
  for (const dir of [ours, gits]) {
    for (const [rel, content] of Object.entries(changes)) {
      if (content === null) rmSync(path.join(dir, rel), { force: true });
      else writeFile(dir, rel, content);
    }
  }
  const staged: IndexChange[] = Object.entries(changes).map(([rel, content]) => {
    if (content === null) return { path: rel };
    const stat = lstatSync(path.join(ours, rel), { bigint: true });
    const oid = spawnSync('git', ['hash-object', '-w', '--', rel], { cwd: ours, encoding: 'utf8' }).stdout.trim();
    return { path: rel, staged: { oid, mode: (stat.mode & 0o100n) !== 0n ? 0o100755 : 0o100644, stat } };
  });
  const format = git(ours, 'rev-parse', '--show-object-format').trim() as 'sha1' | 'sha256';
  stageInIndex(path.join(ours, '.git'), format, staged).commit();
  git(gits, 'update-index', '--add', '--remove', '--', ...Object.keys(changes));
  return { ours, gits };
}

/** What a user sees of an index: entries, the tree it would commit, status, and git's own check of the file. */
function indexView(dir: string) {
  return {
    entries: spawnSync('git', ['ls-files', '-s', '--debug'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.replace(/^ {2}(ctime|mtime|dev|uid|size).*\n/gm, ''),
    tree: git(dir, 'write-tree'),
    status: git(dir, 'status', '--porcelain'),
    cached: git(dir, 'diff', '--cached', '--name-status'),
  };
}

describe('index staged in process', () => {
  const SEED = 20261126;
  const names = ['a', 'b', 'kubernetes', 'z', 'é'];
  const relPath = fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }).map((p) => p.join('/') + '.yaml');

  test('random repos and changes: entries, write-tree, status and staged diff as git update-index leaves them', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(relPath, { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(relPath, { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.constantFrom('sha1', 'sha256'),
        (existing, ours, removes, format) => {
          // a/x.yaml and a.yaml/... cannot both exist: keep only paths that fit in one tree
          const all = [...existing, ...ours];
          const clash = (p: string) => all.some((q) => q.startsWith(p.slice(0, -5) + '/'));
          const base = existing.filter((p) => !clash(p));
          const mine = ours.filter((p) => !clash(p));
          fc.pre(mine.length > 0);
          const make = () => {
            const repo = tmpRepo({}, { git: false });
            git(repo, 'init', '-q', '-b', 'main', `--object-format=${format}`);
            for (const p of base) writeFile(repo, p, `base ${p}\n`);
            writeFile(repo, 'other/staged.txt', 'one\n');
            git(repo, 'add', '-A');
            git(repo, 'commit', '-q', '--allow-empty', '-m', 'base'); // leaves a full cache tree
            writeFile(repo, 'other/staged.txt', 'two\n');
            git(repo, 'add', 'other/staged.txt'); // someone's staged work
            return repo;
          };
          const changes: Record<string, string | null> = {};
          mine.forEach((p, i) => (changes[p] = removes[i] && base.includes(p) ? null : `ours ${p}\n`));
          const { ours: a, gits: b } = stageBothWays(make, changes);
          expect(indexView(a)).toEqual(indexView(b));
          expect(sh(a, 'git', ['fsck', '--no-dangling']).status).toBe(0);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  test('a big index (3,000 entries, long names, several buffers of reading): as git update-index leaves it', () => {
    const deep = Array.from({ length: 6 }, (_, i) => `folder-${i}-${'n'.repeat(40)}`).join('/');
    const make = () => {
      const repo = tmpRepo({}, { git: false });
      git(repo, 'init', '-q', '-b', 'main');
      for (let i = 0; i < 3000; i++) writeFile(repo, `${i % 3 ? deep : 'apps'}/f${String(i).padStart(4, '0')}.yaml`, `${i}\n`);
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'many');
      return repo;
    };
    const { ours, gits } = stageBothWays(make, {
      'a.yaml': 'first\n',
      [`${deep}/f0001.yaml`]: 'changed\n',
      [`${deep}/f1501.yaml`]: null,
      [`${deep}/f1502.yaml-new`]: 'between\n',
      'apps/f2999.yaml': 'last one\n',
      'zz/end.yaml': 'after all\n',
    });
    expect(readFileSync(path.join(ours, '.git/index')).length).toBeGreaterThan(4 * 65536);
    expect(indexView(ours).entries).toContain('zz/end.yaml');
    expect(indexView(ours)).toEqual(indexView(gits));
  });

  test('entries with names of 4,095 bytes and more (flags say only "long") are carried over', () => {
    const long = (c: string) => `deep/${c.repeat(200)}/`.repeat(22) + `${c}.yaml`; // > 4,400 bytes: index-only entries
    const make = () => {
      const repo = tmpRepo({ 'a.yaml': 'a\n', 'z.yaml': 'z\n' });
      const oid = git(repo, 'rev-parse', 'HEAD:a.yaml').trim();
      spawnSync('git', ['update-index', '--add', '--index-info'], { cwd: repo, input: `100644 ${oid}\t${long('b')}\n100644 ${oid}\t${long('y')}\n` });
      return repo;
    };
    const { ours, gits } = stageBothWays(make, { 'm.yaml': 'mine\n', 'z.yaml': 'changed\n' });
    const listed = (dir: string) => spawnSync('git', ['ls-files', '-s'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 }).stdout;
    expect(listed(ours)).toContain(long('y'));
    expect(listed(ours)).toBe(listed(gits));
    expect(spawnSync('git', ['write-tree', '--missing-ok'], { cwd: ours, encoding: 'utf8' }).stdout).toBe(spawnSync('git', ['write-tree', '--missing-ok'], { cwd: gits, encoding: 'utf8' }).stdout);
  });

  test('a version 3 index (intent-to-add elsewhere) and a resolve-undo record are carried over', () => {
    const make = () => {
      const repo = tmpRepo({ 'c.txt': 'base\n', 'keep/x.yaml': 'x\n' });
      git(repo, 'checkout', '-q', '-b', 'side');
      writeFile(repo, 'c.txt', 'side\n');
      git(repo, 'commit', '-qam', 'side');
      git(repo, 'checkout', '-q', 'main');
      writeFile(repo, 'c.txt', 'main\n');
      git(repo, 'commit', '-qam', 'main');
      sh(repo, 'git', ['merge', '-q', 'side']); // conflicts
      writeFile(repo, 'c.txt', 'resolved\n');
      git(repo, 'add', 'c.txt'); // REUC
      writeFile(repo, 'new/ita.txt', 'i\n');
      git(repo, 'add', '-N', 'new/ita.txt'); // version 3
      return repo;
    };
    const { ours, gits } = stageBothWays(make, { 'keep/x.yaml': 'ours\n', 'keep/y.yaml': 'new\n' });
    expect(readFileSync(path.join(ours, '.git/index')).readUInt32BE(4)).toBe(3);
    expect(readFileSync(path.join(ours, '.git/index')).includes('REUC')).toBe(true);
    expect(indexView(ours)).toEqual(indexView(gits));
    expect(git(ours, 'ls-files', '--resolve-undo')).toBe(git(gits, 'ls-files', '--resolve-undo'));
  });

  const refusals: [string, (repo: string) => void, Record<string, string>][] = [
    ['a version 4 index', (r) => git(r, 'update-index', '--index-version', '4'), { 'a.yaml': 'x\n' }],
    ['a split index', (r) => git(r, 'update-index', '--split-index'), { 'a.yaml': 'x\n' }],
    ['an untracked cache', (r) => (git(r, 'config', 'core.untrackedCache', 'true'), git(r, 'update-index', '--untracked-cache'), git(r, 'status')), { 'a.yaml': 'x\n' }],
    [
      'a conflict on our path',
      (r) => {
        const oid = git(r, 'rev-parse', 'HEAD:a.yaml').trim();
        spawnSync('git', ['update-index', '--index-info'], { cwd: r, input: `0 ${'0'.repeat(40)}\ta.yaml\n100644 ${oid} 1\ta.yaml\n100644 ${oid} 2\ta.yaml\n` });
      },
      { 'a.yaml': 'x\n' },
    ],
    ['a folder where our file goes', () => {}, { 'dir.yaml': 'x\n', 'sub/in.yaml': 'y\n' }],
    ['a file where our folder goes', () => {}, { 'file/x.yaml': 'x\n' }],
  ];
  for (const [what, setup, changes] of refusals) {
    test(`left to git: ${what}; the index is untouched and unlocked`, () => {
      const repo = tmpRepo({ 'a.yaml': 'a\n', 'dir.yaml/keep': 'k\n', file: 'f\n', 'sub/in.yaml/deep': 'd\n' });
      setup(repo);
      const before = readFileSync(path.join(repo, '.git/index'));
      const stat = lstatSync(path.join(repo, 'a.yaml'), { bigint: true });
      const staged = Object.keys(changes).map((rel) => ({ path: rel, staged: { oid: '1'.repeat(40), mode: 0o100644, stat } }));
      expect(() => stageInIndex(path.join(repo, '.git'), 'sha1', staged)).toThrow(NativeUnsupported);
      expect(readFileSync(path.join(repo, '.git/index')).equals(before)).toBe(true);
      expect(existsSync(path.join(repo, '.git/index.lock'))).toBe(false);
    });
  }
});

describe('branch moved in process', () => {
  const nextCommit = (repo: string, parent: string | undefined) =>
    git(repo, 'commit-tree', git(repo, 'write-tree').trim(), ...(parent ? ['-p', parent] : []), '-m', 'next').trim();
  const move = (repo: string, commit: string, old: string | undefined, extra: Partial<Parameters<typeof moveRef>[1]> = {}) => {
    const committer = sh(repo, 'git', ['var', 'GIT_COMMITTER_IDENT']).stdout.trim();
    return moveRef(path.join(repo, '.git'), { ref: 'refs/heads/main', old, new: commit, committer, message: 'commit: next', logAll: 'true', ...extra });
  };

  test('a loose ref and a packed one move, with the reflog lines git update-ref writes', () => {
    for (const pack of [false, true]) {
      const repo = tmpRepo();
      if (pack) git(repo, 'pack-refs', '--all');
      const old = git(repo, 'rev-parse', 'HEAD').trim();
      const commit = nextCommit(repo, old);
      const twin = tmpDir('cnpg-twin-');
      spawnSync('cp', ['-a', `${repo}/.`, twin]);
      expect(move(repo, commit, old)).toBeUndefined();
      git(twin, 'update-ref', '-m', 'commit: next', 'HEAD', commit, old);
      for (const ref of ['HEAD', 'main']) {
        expect(git(repo, 'reflog', 'show', '--format=%H %gs', ref)).toBe(git(twin, 'reflog', 'show', '--format=%H %gs', ref));
      }
      expect(git(repo, 'rev-parse', 'main').trim()).toBe(commit);
      expect(sh(repo, 'git', ['fsck']).status).toBe(0);
    }
  });

  test('a branch that moved meanwhile, or a held lock, is refused and left as it was', () => {
    const repo = tmpRepo();
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const commit = nextCommit(repo, head);
    expect(move(repo, commit, '1'.repeat(40))).toMatch(/cannot lock ref 'refs\/heads\/main'/);
    writeFileSync(path.join(repo, '.git/refs/heads/main.lock'), '');
    expect(move(repo, commit, head)).toMatch(/main.lock exists/);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(git(repo, 'reflog', 'show', '--format=%gs', 'main').trim().split('\n')).toHaveLength(1);
  });

  test('the first commit on an unborn branch; core.logAllRefUpdates=false writes no new reflog', () => {
    const repo = tmpRepo({ 'a.txt': 'a\n' }, { git: false });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    const commit = nextCommit(repo, undefined);
    expect(move(repo, commit, undefined, { message: 'commit (initial): next', logAll: 'false' })).toBeUndefined();
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(commit);
    expect(existsSync(path.join(repo, '.git/logs/HEAD'))).toBe(false);
  });
});
