// Yeoman looks for generators/app/index.js; the generator itself is compiled from src/generator/index.ts.
export { default } from '../../dist/src/generator/index.js';
