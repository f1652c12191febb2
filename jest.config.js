/** Jest runs the compiled tests (tsc builds src/ and test/ into dist/). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  transform: {},
  testTimeout: 30000,
};
