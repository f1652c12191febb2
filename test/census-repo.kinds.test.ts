/**
 * Issue 14: what the census reads from a real git work tree (the scan is `git grep`, the pending record lives in
 * the git dir, --depends-on names are looked up in the tracked YAML). Which cloudnative-pg installs a run reports:
 * on a first run a file at one of the generator's own paths is the user's install, unless a run of ours wrote it
 * (its pending record, or answers it stored while this run was scanning). Which --depends-on names (given or
 * stored) a Flux Kustomization carries. Which folders of kubernetes/clusters count as clusters.
 */
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type Census, readRepo } from '../src/core/census.js';
import { contentHash, recordPending } from '../src/core/git-guard.js';
import { INFRASTRUCTURE as L, YO_RC } from '../src/core/layout.js';
import { type Repo, openRepo } from '../src/core/repo.js';
import { yoRc } from './helpers/core.js';
import { clusterSettings, infrastructureFiles } from './helpers/layouts.js';
import { OPERATOR, tmpDir, tmpRepo, writeFile } from './helpers/repo.js';

/** A cloudnative-pg HelmRelease (the scan reports it as an install of the chart). */
const cnpgRelease = (name: string): string =>
  `---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: cnpg-system\nspec:\n  chart:\n    spec:\n      chart: cloudnative-pg\n`;
/** The user's own install, at the path the generator writes its HelmRelease to. */
const OURS = `${OPERATOR}/helmrelease.yaml`;
/** An install somewhere else (helpers/layouts: existingCnpgCategory): its HelmRelease and its OCIRepository. */
const THEIRS = ['helmrelease', 'ocirepository'].map((f) => `kubernetes/infrastructure/databases/cloudnative-pg/app/${f}.yaml cloudnative-pg`);

/** The infrastructure fixture with an install elsewhere, one at our path, and folders under kubernetes/clusters that are no cluster. */
const files = (extra: Record<string, string> = {}): Record<string, string> => ({
  ...infrastructureFiles({ clusters: ['prod', 'dev'], existingCnpgCategory: 'databases' }),
  [OURS]: cnpgRelease('mine'),
  'kubernetes/clusters/notes/README.md': '# not a cluster\n',
  'kubernetes/clusters/README.md': '# clusters\n',
  'kubernetes/clusters/old/cluster-settings.yaml.bak': 'x\n',
  ...extra,
});

const installs = (c: Census): string[] => c.scan.installs.map((i) => `${i.path} ${i.name}`);
const roots: string[] = [];
const repoOf = (dir: string): Repo => {
  roots.push(dir);
  return openRepo(dir);
};

// One describe around it all, so that the repos are made only when one of these tests runs (a hook outside any
// describe belongs to the whole run: under `npm run mutate`, every mutant's).
describe('readRepo in a git work tree', () => {
  let firstRun: Repo;
  let pending: Repo;
  let racing: Repo;
  let storedDependsOn: Repo;
  /** A folder holding a `git` that, on `git grep`, first writes .yo-rc.json (as another run of ours would, meanwhile). */
  let gitWrapper: string;

  beforeAll(() => {
    firstRun = repoOf(tmpRepo(files()));
    pending = repoOf(tmpRepo(files()));
    racing = repoOf(tmpRepo(files()));
    storedDependsOn = repoOf(tmpRepo(files({ [YO_RC]: yoRc({ dependsOn: 'cert-manager' }) })));
    gitWrapper = tmpDir('census-git-');
    roots.push(gitWrapper);
    const realGit = (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((d) => path.join(d, 'git'))
      .find((g) => existsSync(g));
    writeFile(gitWrapper, 'stored.json', yoRc({ replicas: 2 }));
    writeFileSync(
      path.join(gitWrapper, 'git'),
      `#!/bin/sh\nif [ "$1" = grep ] && [ ! -e ${YO_RC} ]; then cp '${path.join(gitWrapper, 'stored.json')}' ${YO_RC}; fi\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(path.join(gitWrapper, 'git'), 0o755);
  });

  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  describe('the installs a first run reports', () => {
    test('no run of ours left anything: the install at our path is the user\'s, reported with the other one', () => {
      const c = readRepo(firstRun, L);
      expect([c.stored, c.scanned]).toEqual([undefined, true]);
      expect(installs(c)).toEqual([...THEIRS, `${OURS} mine`]);
    });

    test('a run of ours recorded it as pending (and stopped before storing its answers): ours, not reported', () => {
      // What run.ts records before it writes: each path with the hash of the content it leaves there.
      recordPending(pending, { [OURS]: { sha: contentHash(cnpgRelease('mine')) } }, 'feat(cnpg): install the CloudNativePG operator');
      const c = readRepo(pending, L);
      expect(c.stored).toBeUndefined();
      expect(installs(c)).toEqual(THEIRS);
    });

    test('a run of ours stored its answers while this one scanned: ours, not reported', () => {
      rmSync(path.join(racing.root, YO_RC), { force: true });
      const saved = process.env.PATH;
      process.env.PATH = `${gitWrapper}${path.delimiter}${saved ?? ''}`;
      let c: Census;
      try {
        c = readRepo(racing, L);
      } finally {
        process.env.PATH = saved;
      }
      // Read before the scan: no answers; the file is there now.
      expect(c.stored).toBeUndefined();
      expect(existsSync(path.join(racing.root, YO_RC))).toBe(true);
      expect(installs(c)).toEqual(THEIRS);
    });
  });

  describe('the --depends-on names a Flux Kustomization carries', () => {
    test('given by the flag: those found, not the missing one', () => {
      const c = readRepo(firstRun, L, { dependsOn: ['infrastructure', 'cert-manager', 'not-there'] });
      expect(c.fluxKustomizations).toEqual(new Set(['infrastructure', 'cert-manager']));
    });

    test('stored, and added to the flag\'s', () => {
      expect(readRepo(storedDependsOn, L).fluxKustomizations).toEqual(new Set(['cert-manager']));
      expect(readRepo(storedDependsOn, L, { dependsOn: ['infrastructure'] }).fluxKustomizations).toEqual(new Set(['infrastructure', 'cert-manager']));
    });

    test('none given or stored: nothing looked up', () => {
      expect(readRepo(firstRun, L).fluxKustomizations).toBeUndefined();
      expect(readRepo(firstRun, L, { dependsOn: [] }).fluxKustomizations).toBeUndefined();
    });
  });

  describe('the clusters', () => {
    test('the folders of kubernetes/clusters holding a cluster-settings.yaml, sorted; other folders and files are not clusters', () => {
      expect(readRepo(firstRun, L).clusters.map((c) => [c.name, c.exists, c.data.CLUSTER_NAME])).toEqual([
        ['dev', true, 'dev'],
        ['prod', true, 'prod'],
      ]);
    });

    test('sorted as JavaScript sorts names, not as the file system lists them (Node lists by UTF-8 bytes)', () => {
      // U+FF5A (UTF-8 EF BD 9A) lists before U+1F600 (F0 9F 98 80); in UTF-16 the surrogate D83D sorts before FF5A.
      const dir = tmpDir('census-clusters-');
      roots.push(dir);
      for (const name of ['a\uFF5A', 'a\u{1F600}', 'B']) writeFile(dir, L.clusterSettingsPath(name), clusterSettings(name));
      expect(readRepo(openRepo(dir), L).clusters.map((c) => [c.name, c.exists])).toEqual([
        ['B', true],
        ['a\u{1F600}', true],
        ['a\uFF5A', true],
      ]);
    });
  });
});
