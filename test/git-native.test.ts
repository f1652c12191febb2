// The in-process git pieces the fast commit rests on, each checked against git itself: every object of a repo read
// back as `git cat-file` prints it (loose, packed with offset and with ref deltas, sha1 and sha256), config files
// read as `git config` reads them, identities as `git var` makes them, and whole runs whose commit, index and
// reflog are what git's own commands give (or git is used when a filter would change what is stored).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseGitConfig } from '../src/core/git-config.js';
import { ObjectStore, parseTree } from '../src/core/git-store.js';
import { nativeIdent } from '../src/core/git-commit.js';
import { OPERATOR, bin, commitCount, git, read, sh, tmpRepo, writeFile } from './helpers/repo.js';

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
function tracedBin(repo: string, args: string[]): { status: number; git: string[] } {
  const shim = path.join(repo, '.git', 'shim');
  mkdirSync(shim, { recursive: true });
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const log = path.join(shim, 'log');
  writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  writeFileSync(log, '');
  const r = bin(repo, args, { PATH: `${shim}:${process.env.PATH}` });
  return { status: r.status, git: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('a run committed in process', () => {
  test('git runs only to stage our paths and move the branch', () => {
    const repo = tmpRepo();
    expect(tracedBin(repo, ['--yes'])).toEqual({ status: 0, git: ['update-index', 'update-ref'] });
    expect(tracedBin(repo, ['--yes', '--chart-version', '0.26.1'])).toEqual({ status: 0, git: ['update-index', 'update-ref'] });
    expect(commitCount(repo)).toBe(3);
  });

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
