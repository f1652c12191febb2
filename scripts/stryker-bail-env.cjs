// `npm run mutate` only (jest.stryker.config.js): jest's node environment, plus a bail for mutant runs. Jest bails
// per test file, and under mutation all suites run as one file (scripts/build-cjs.js), so a mutant that failed its
// first test would still run every other test that covers it. Once a test or hook has failed in a mutant run
// (Stryker has set __STRYKER_ACTIVE_MUTANT__), the tests after it are skipped: the mutant is killed either way.
// The initial run (no active mutant) runs every test, since Stryker needs each test's coverage from it.
// It also hands the mutant run's test name pattern (Stryker's "(<full test name>)|(...)" of the tests that cover
// the mutant) to the combined test file, which then loads only the suites those tests are in.
const { TestEnvironment } = require('jest-environment-node');

class BailAfterFirstFailure extends TestEnvironment {
  failed = false;

  // A property, not a method: Stryker's environment wrapper calls it without `this`.
  handleTestEvent = async (event) => {
    if (process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) return;
    if (event.name === 'setup') this.global.__cnpgMutantTestPattern = event.testNamePattern;
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') this.failed = true;
    else if (event.name === 'test_start' && this.failed) event.test.mode = 'skip';
  };
}

module.exports = BailAfterFirstFailure;
