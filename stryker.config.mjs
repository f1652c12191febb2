// @ts-check
import { mutationSpecs } from './scripts/mutation-suites.js';

/**
 * `npm run mutate`: mutation testing of the pure core with StrykerJS (not part of `npm test` or CI).
 * Reports: clear text on stdout, HTML in reports/mutation/mutation.html.
 * Narrow it while working: `npm run mutate -- --mutate src/core/merge.ts`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  // The suites are jest suites (`npm test`), but under mutation mocha runs them (scripts/stryker-jest-globals.cjs):
  // Stryker's mocha runner loads the suites and the core once per test-runner process and reruns only the tests
  // that cover a mutant, switching the active mutant in place. Its jest runner starts a whole jest run per mutant:
  // ~0.7 s of setup each, which made the full scope take about an hour on two cores.
  testRunner: 'mocha',
  mochaOptions: { spec: mutationSpecs(), 'no-config': true, 'no-package': true },
  // The pure core: what its in-process suites can see. Not run.ts, repo.ts, apply.ts, the git code, the doors.
  mutate: [
    'src/core/settings.ts',
    'src/core/versions.ts',
    'src/core/yaml-scalar.ts',
    'src/core/render.ts',
    'src/core/merge.ts',
    'src/core/labels.ts',
    'src/core/census.ts',
    'src/core/answers.ts',
    'src/core/plan.ts',
    'src/core/text-edit.ts',
    'src/core/patch/cluster-settings.ts',
    'src/core/patch/crds-helmfile.ts',
    'src/core/patch/kustomization-list.ts',
    'src/core/patch/crds-releases.ts',
    'src/core/upgrade.ts',
    'src/core/releases.ts',
  ],
  // Mutate the TS sources (mutation switching) and build once in the sandbox: esbuild compiles them and the
  // in-process suites to CommonJS (scripts/stryker-build.sh, scripts/build-cjs.js), without a type check.
  buildCommand: 'sh scripts/stryker-build.sh',
  // Stryker's TS-config preprocessor uses the `typescript` JS API, which TypeScript 7 (native) lacks: a tsconfig
  // name that does not exist makes Stryker skip it.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  ignorePatterns: ['dist', 'dist-cjs', '.bench', 'demo', 'reports', '.stryker-tmp'],
  coverageAnalysis: 'perTest',
  // Equivalent mutants are marked in the source, on the line before them, one reason each:
  // `// Stryker disable next-line <Mutator>: equivalent: <reason>` (`git grep -n "Stryker disable"` lists them).
  // Static mutants (module-level constants: the settings table's texts, the regexes, the release table) need every
  // suite per mutant; they are left out of the score (Stryker reports them as ignored). CNPG_MUTATE_STATIC=1 tests
  // them too (Stryker's --ignoreStatic flag can only turn the option on).
  ignoreStatic: process.env.CNPG_MUTATE_STATIC !== '1',
  concurrency: 2,
  // A shared two-core machine: a slow mutant is more likely load than an infinite loop.
  timeoutMS: 20000,
  timeoutFactor: 2.5,
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // Below 90 % (issue 14's target) the run exits 1 after its report.
  thresholds: { high: 90, low: 80, break: 90 },
  // Reuse the results of unchanged mutants and tests from the last run (reports/stryker-incremental.json, git-ignored);
  // `npm run mutate -- --force` tests every mutant again. A fresh clone has no such file: a full run.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
