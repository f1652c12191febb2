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

export default {
  ...base,
  // Fewer runs per property while mutating (see the file); npm test keeps the suites' own counts.
  moduleNameMapper: { '^fast-check$': '<rootDir>/scripts/stryker-fast-check.mjs' },
  testMatch: [
    ...IN_PROCESS_SUITES.map((n) => `**/${n}.test.js`),
    // The issue-14 suites, except apply.kinds (the run lock: apply.ts is out of the mutation scope, and it waits).
    '**/mutation-*.test.js',
    '**/!(apply).kinds.test.js',
  ],
};
