#!/usr/bin/env node
// Runs a TypeScript entry point from source (scripts and CLIs): ts-node in transpile-only mode, with
// workspace packages (`@kartshoppe/<name>`) resolved to their sources so no build step is needed.
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspaceSource(request, ...rest) {
  const match = /^@kartshoppe\/([a-z-]+)$/.exec(request);
  if (match) return path.join(root, 'services', match[1], 'src', 'index.ts');
  return originalResolve.call(this, request, ...rest);
};
require('ts-node').register({
  transpileOnly: true,
  project: path.join(root, 'tsconfig.jest.json'),
  compilerOptions: { module: 'commonjs' },
});

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.js <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));
