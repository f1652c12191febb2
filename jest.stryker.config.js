/**
 * Jest config for `npm run mutate` (stryker.config.mjs): only the suites that run the core in process. Suites that
 * spawn the bin or git for every case (doors, e2e, rerun, safety, ...) are too slow to run per mutant and cannot see
 * a mutant anyway (the active mutant lives in the test process).
 */
import base from './jest.config.js';

export const IN_PROCESS_SUITES = [
  'answers',
  'plan.golden',
  'prepare',
  'upgrade',
  'promql',
  'yaml-patch',
  'yaml-patch.property',
  'monitoring-settings',
  'schema',
];

/**
 * `CNPG_MUTATE_SUITES=yaml-scalar.kinds,labels.kinds npm run mutate -- --mutate src/core/yaml-scalar.ts`: only these
 * suites (names as in IN_PROCESS_SUITES), for a quick run on one module. A mutant only those suites miss counts
 * as survived, so such a score is a lower bound of the full run's.
 */
const only = (process.env.CNPG_MUTATE_SUITES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

export default {
  ...base,
  // Fewer runs per property while mutating (see the file); npm test keeps the suites' own counts.
  moduleNameMapper: { '^fast-check$': '<rootDir>/scripts/stryker-fast-check.mjs' },
  testMatch: only.length > 0 ? only.map((n) => `**/${n}.test.js`) : [
    ...IN_PROCESS_SUITES.map((n) => `**/${n}.test.js`),
    // The issue-14 suites, except apply.kinds (the run lock: apply.ts is out of the mutation scope, and it waits).
    '**/mutation-*.test.js',
    '**/!(apply).kinds.test.js',
  ],
};
