/** Issue 2: the Yeoman door and the bin are thin doors onto one core: same answers, byte-identical files. */
import { describe, expect, test } from '@jest/globals';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { CLUSTER_SETTINGS, ROOT, bin, git, lastCommitPaths, tmpRepo, tree } from './helpers/repo.js';

const GENERATOR = path.join(ROOT, 'generators/app/index.js');

async function yeoman(cwd: string, args: string[], answers?: Record<string, string>): Promise<{ error?: Error }> {
  Object.assign(process.env, { GIT_AUTHOR_NAME: 'Test User', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test User', GIT_COMMITTER_EMAIL: 'test@example.com' });
  const { createEnv } = await import('yeoman-environment');
  const { TestAdapter } = await import('@yeoman/adapter/testing');
  const env = createEnv({ cwd, adapter: answers ? new TestAdapter({ mockedAnswers: answers }) : new TestAdapter() } as never);
  env.register(GENERATOR, { namespace: 'cnpg-operator:app' });
  const saved = process.exitCode;
  try {
    await env.run(['cnpg-operator:app', ...args], { skipInstall: true } as never);
    return {};
  } catch (error) {
    return { error: error as Error };
  } finally {
    process.exitCode = saved;
  }
}

const START = { 'kubernetes/clusters/prod/cluster-settings.yaml': CLUSTER_SETTINGS, 'README.md': '# gitops\n' };

describe('yo cnpg-operator and the bin produce the same repo', () => {
  const scenarios: [string, string[], string[]][] = [
    ['defaults', ['--yes'], ['--yes']],
    [
      'every setting changed',
      ['--yes', '--cluster', 'prod', '--namespace', 'databases', '--replicas', '3', '--chart-version', '0.29.0', '--storage-class', 'fast.ssd', '--monitoring', 'prometheus-operator', '--depends-on', 'a,b'],
      ['--yes', '--cluster', 'prod', '--operator-namespace', 'databases', '--replicas', '3', '--chart-version', '0.29.0', '--storage-class', 'fast.ssd', '--monitoring', 'prometheus-operator', '--depends-on', 'a,b'],
    ],
  ];
  for (const [name, binArgs, yoArgs] of scenarios) {
    test(name, async () => {
      const a = tmpRepo(START);
      const b = tmpRepo(START);
      const r = bin(a, binArgs);
      expect(r.status).toBe(0);
      const y = await yeoman(b, yoArgs);
      expect(y.error).toBeUndefined();
      expect(tree(b)).toEqual(tree(a));
      expect(lastCommitPaths(b)).toEqual(lastCommitPaths(a));
      expect(git(b, 'log', '-1', '--format=%B')).toBe(git(a, 'log', '-1', '--format=%B'));
    });
  }

  test('prompt answers through Yeoman equal the same values as flags', async () => {
    const a = tmpRepo(START);
    const b = tmpRepo(START);
    expect(bin(a, ['--yes', '--cluster', 'prod', '--replicas', '4', '--monitoring', 'none']).status).toBe(0);
    const y = await yeoman(b, ['--interactive'], { cluster: 'prod', replicas: '4', monitoring: 'none' });
    expect(y.error).toBeUndefined();
    expect(tree(b)).toEqual(tree(a));
  });

  test('a bad value through Yeoman fails the run and writes nothing', async () => {
    const b = tmpRepo(START);
    const before = tree(b);
    const y = await yeoman(b, ['--yes', '--replicas', '0']);
    expect(y.error?.message).toMatch(/exit code 2/);
    expect(tree(b)).toEqual(before);
  });

  test('yo finds the generator by the standard generator-* discovery', async () => {
    // As after `npm link` or a global install: the package sits in a node_modules folder under its own name.
    const modules = path.join(tmpRepo({}, { git: false }), 'node_modules');
    mkdirSync(modules);
    symlinkSync(ROOT, path.join(modules, 'generator-cnpg-operator'));
    const { createEnv } = await import('yeoman-environment');
    const env = createEnv();
    const found = await env.lookup({ npmPaths: [modules] } as never);
    expect(found.map((g: { namespace: string }) => g.namespace)).toContain('cnpg-operator:app');
  });

  test('--help through Yeoman prints the help and writes nothing', async () => {
    const b = tmpRepo(START);
    const before = tree(b);
    const y = await yeoman(b, ['--help']);
    expect(y.error).toBeUndefined();
    expect(tree(b)).toEqual(before);
  });

  test('yo cnpg-operator --help lists the settings with defaults', async () => {
    const { default: Gen } = await import(GENERATOR);
    const help: string = Gen.prototype.help.call({});
    expect(help).toContain('--operator-namespace <value>\n      default: cnpg-system');
    expect(help).toContain('--chart-version <value>\n      default: 0.26.0');
    expect(help).toMatch(/Examples:/);
  });
});
