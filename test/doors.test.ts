/** Issue 2: the Yeoman door and the bin are thin doors onto one core: same answers, byte-identical files. */
import { describe, expect, jest, test } from '@jest/globals';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { CLUSTER_SETTINGS, ROOT, bin, commitCount, git, lastCommitPaths, read, tmpDir, tmpRepo, tree, writeFile } from './helpers/repo.js';
import { binOrdered, yoOrdered } from './helpers/ordered.js';

const GENERATOR = path.join(ROOT, 'generators/app/index.js');

interface DoorRun {
  /** The generator's exit code (0/1/2, as the bin's), also what process.exitCode was set to. */
  exitCode: number;
  processExitCode: number | undefined;
  /** Whether Yeoman's run rejected (it must not: failures are exit codes, not exceptions). */
  error?: Error;
  /** stdout and stderr lines, in the order written, each tagged with its stream. */
  lines: string[];
}

/** Capture what the door writes to stdout/stderr, in order, while `fn` runs. */
async function capture<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: Error; lines: string[] }> {
  const lines: string[] = [];
  const spy = (stream: 'out' | 'err') => (chunk: unknown) => {
    for (const l of String(chunk).split('\n').slice(0, -1)) lines.push(`${stream}: ${l}`);
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(spy('out') as never);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(spy('err') as never);
  try {
    return { value: await fn(), lines };
  } catch (error) {
    return { error: error as Error, lines };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Run the Yeoman door in-process through yeoman-environment, as `env.run([namespace, ...words])`. */
async function yeoman(cwd: string, args: string[], answers?: Record<string, string>): Promise<DoorRun> {
  Object.assign(process.env, { GIT_AUTHOR_NAME: 'Test User', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test User', GIT_COMMITTER_EMAIL: 'test@example.com' });
  const { createEnv } = await import('yeoman-environment');
  const { TestAdapter } = await import('@yeoman/adapter/testing');
  const env = createEnv({ cwd, adapter: answers ? new TestAdapter({ mockedAnswers: answers }) : new TestAdapter() } as never);
  env.register(GENERATOR, { namespace: 'cnpg-operator:app' });
  const saved = process.exitCode;
  process.exitCode = undefined;
  let generator: { exitCode: number } | undefined;
  try {
    const r = await capture(async () => {
      const g = await env.create('cnpg-operator:app', { generatorArgs: args, generatorOptions: { skipInstall: true } } as never);
      generator = g as unknown as { exitCode: number };
      await env.runGenerator(g as never);
    });
    return { exitCode: generator?.exitCode ?? -1, processExitCode: process.exitCode as number | undefined, error: r.error, lines: r.lines };
  } finally {
    process.exitCode = saved;
  }
}

/** Run the Yeoman door the way Yeoman generators are usually tested: yeoman-test, options as an object. */
async function yeomanTest(cwd: string, options: Record<string, unknown>, args: string[] = []): Promise<DoorRun> {
  const { default: helpers } = await import('yeoman-test');
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    // yeoman-test passes force: true unless told otherwise; a user of yo has not typed --force.
    const r = await capture(async () => await helpers.run(GENERATOR, { namespace: 'cnpg-operator:app' }).cd(cwd).withOptions({ force: false, ...options } as never).withArguments(args));
    const generator = r.value?.generator as unknown as { exitCode: number } | undefined;
    return { exitCode: generator?.exitCode ?? -1, processExitCode: process.exitCode as number | undefined, error: r.error, lines: r.lines };
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
      expect(y.exitCode).toBe(0);
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
    expect(y.error).toBeUndefined();
    expect([y.exitCode, y.processExitCode]).toEqual([2, 2]);
    expect(y.lines).toEqual(['err: yo cnpg-operator: error: --replicas "0": must be an integer from 1 to 10']);
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

describe('one behaviour for both doors (issue 12 point 5)', () => {
  const MISTYPED: [string[], string][] = [
    [['--yes', '--replica', '3'], "Unknown option '--replica'; did you mean --replicas? (see --help)"],
    [['--yes', '--chart', '0.26'], "Unknown option '--chart'; did you mean --chart-version? (see --help)"],
    [['--yes', '--foo'], "Unknown option '--foo' (see --help)"],
    [['--yes', '--cwd', '/tmp'], "Unknown option '--cwd'; to run in another folder use -C/--directory <dir>"],
  ];

  test('an unknown option is refused by both doors with exit 2, one line and "did you mean"; nothing written', async () => {
    for (const [args, message] of MISTYPED) {
      const repo = tmpRepo(START);
      const before = tree(repo);
      const b = bin(repo, args);
      expect({ args, status: b.status, stderr: b.stderr }).toEqual({ args, status: 2, stderr: `cnpg-operator: error: ${message}\n` });
      const y = await yeoman(repo, args);
      expect({ args, exitCode: y.exitCode, processExitCode: y.processExitCode, error: y.error, lines: y.lines }).toEqual({
        args,
        exitCode: 2,
        processExitCode: 2,
        error: undefined,
        lines: [`err: yo cnpg-operator: error: ${message}`],
      });
      const yo = yoOrdered(repo, args);
      expect({ args, status: yo.status, output: yo.output }).toEqual({ args, status: 2, output: `yo cnpg-operator: error: ${message}\n` });
      expect(tree(repo)).toEqual(before);
      expect(commitCount(repo)).toBe(1);
    }
  });

  test("Yeoman's own options are accepted by the Yeoman door", async () => {
    const a = tmpRepo(START);
    const b = tmpRepo(START);
    expect(bin(a, ['--yes', '--cluster', 'prod']).status).toBe(0);
    const own = ['--skip-install', '--force-install', '--skip-cache', '--ask-answered', '--skip-local-cache', '--local-config-only'];
    const y = yoOrdered(b, ['--yes', '--cluster', 'prod', ...own]);
    expect({ status: y.status, output: y.output }).toEqual({ status: 0, output: expect.stringMatching(/^cluster +=.*\n[^]*committed [0-9a-f]{7,40}: /) });
    expect(tree(b)).toEqual(tree(a));
    expect(git(b, 'log', '-1', '--format=%B')).toBe(git(a, 'log', '-1', '--format=%B'));
  });

  test('under yo, --namespace and values yo would retype (0.26, 0x2, 1e1) reach the door as typed', async () => {
    // yo 7 types `--chart-version 0.26` as the number 0.26 and drops `--namespace` (Yeoman sets its own):
    // the door reads yo's words, so it refuses and accepts exactly what the bin does.
    for (const args of [['--chart-version', '0.26'], ['--replicas', '0x2'], ['--replicas', '2.0'], ['--chart-version', '0.26.00']]) {
      const repo = tmpRepo(START);
      const b = bin(repo, ['--yes', ...args]);
      const y = yoOrdered(repo, ['--yes', ...args]);
      expect({ args, status: y.status, output: y.output }).toEqual({ args, status: 2, output: `yo ${b.stderr}` });
      expect(commitCount(repo)).toBe(1);
    }
    const a = tmpRepo(START);
    const b = tmpRepo(START);
    // --new-cluster: the repo has the cluster infra, and 1e1 is a new one (else refused as a possible typo).
    expect(bin(a, ['--yes', '--namespace', 'databases', '--cluster', '1e1', '--new-cluster']).status).toBe(0);
    const y = yoOrdered(b, ['--yes', '--namespace', 'databases', '--cluster', '1e1', '--new-cluster']);
    expect(y.status).toBe(0);
    expect(y.output).toMatch(/^namespace +\= databases {2}\(flag\)$/m);
    expect(tree(b)).toEqual(tree(a));
  });

  test('-C names the folder to run in for both doors; a missing folder is one line, exit 2', async () => {
    const repo = tmpRepo(START);
    const missing = path.join(repo, 'no-such-folder');
    const b = bin(repo, ['--yes', '-C', missing]);
    expect([b.status, b.stderr]).toEqual([2, `cnpg-operator: error: -C ${missing}: no such folder\n`]);
    const y = yoOrdered(repo, ['--yes', '-C', missing]);
    expect([y.status, y.output]).toEqual([2, `yo cnpg-operator: error: -C ${missing}: no such folder\n`]);
    const file = bin(repo, ['--yes', '--directory', path.join(repo, 'README.md')]);
    expect([file.status, file.stderr]).toEqual([2, `cnpg-operator: error: --directory ${path.join(repo, 'README.md')}: not a folder\n`]);

    const a = tmpRepo(START);
    const other = tmpRepo(START);
    expect(bin(tmpDir(), ['--yes', '-C', a]).status).toBe(0);
    expect(yoOrdered(tmpDir(), ['--yes', '-C', other]).status).toBe(0);
    expect(tree(other)).toEqual(tree(a));
  });

  test('a failing run gives the same whole output, in the same order, and exit code through both doors', async () => {
    // A conflict: the namespace file was edited by hand and the namespace changes on this run.
    const setup = (): string => {
      const repo = tmpRepo(START);
      expect(bin(repo, ['--yes', '--cluster', 'prod']).status).toBe(0);
      const ns = 'kubernetes/infrastructure/databases/cloudnative-pg/operator/namespace.yaml';
      writeFile(repo, ns, read(repo, ns).replace('name: cnpg-system', 'name: cnpg-by-hand'));
      git(repo, 'commit', '-qam', 'hand edit');
      return repo;
    };
    const a = setup();
    const b = setup();
    const viaBin = binOrdered(a, ['--yes', '--namespace', 'postgres']);
    const viaYo = yoOrdered(b, ['--yes', '--namespace', 'postgres']);
    expect(viaBin.status).toBe(1);
    expect(viaYo.status).toBe(1);
    expect(viaYo.output).toBe(viaBin.output);
    expect(viaYo.output).toMatch(/^error: 1 file\(s\) have conflicts/m);
    expect(viaYo.output.split('\n').filter((l) => /^(updated|created|conflict)/.test(l)).length).toBeGreaterThanOrEqual(8);
    expect(viaYo.output).not.toMatch(/An error occur/);
    expect(tree(b)).toEqual(tree(a));
  });

  test('yeoman-test: options given as an object are parsed as the bin parses flags', async () => {
    const a = tmpRepo(START);
    const b = tmpRepo(START);
    expect(bin(a, ['--yes', '--cluster', 'prod', '--operator-namespace', 'dbs', '--replicas', '3', '--no-commit']).status).toBe(0);
    const y = await yeomanTest(b, { yes: true, cluster: 'prod', 'operator-namespace': 'dbs', replicas: 3, commit: false });
    expect(y.error).toBeUndefined();
    expect(y.exitCode).toBe(0);
    expect(tree(b)).toEqual(tree(a));
    expect(commitCount(b)).toBe(1);

    const c = tmpRepo(START);
    const bad = await yeomanTest(c, { yes: true, replica: '3' });
    expect(bad.error).toBeUndefined();
    expect([bad.exitCode, bad.processExitCode]).toEqual([2, 2]);
    expect(bad.lines).toEqual(["err: yo cnpg-operator: error: Unknown option '--replica'; did you mean --replicas? (see --help)"]);
    expect(tree(c)).toEqual(tree(tmpRepo(START)));
  });

  test('yeoman-test: words given as arguments, --namespace included', async () => {
    const a = tmpRepo(START);
    const b = tmpRepo(START);
    expect(bin(a, ['--yes', '--cluster', 'prod', '--namespace', 'dbs']).status).toBe(0);
    const y = await yeomanTest(b, {}, ['--yes', '--cluster', 'prod', '--namespace', 'dbs']);
    expect([y.error, y.exitCode]).toEqual([undefined, 0]);
    expect(tree(b)).toEqual(tree(a));
  });
});
