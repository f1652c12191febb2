#!/bin/sh
# The build Stryker runs once in its sandbox (.stryker-tmp/sandbox-XXXX, mutated sources with all mutants switched
# in) before it tests the mutants. Stryker runs it before it links node_modules into the sandbox, so `npx tsc`
# would fetch a wrong package: call the project's tsc by path. Node's own module lookup walks up to the project's
# node_modules, so the template compiler (ejs) and the bundler (esbuild, for the suites that spawn the bin) resolve.
set -e
node scripts/compile-templates.js
node ../../node_modules/typescript/bin/tsc -p tsconfig.json
node scripts/bundle.js
