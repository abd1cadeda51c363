#!/usr/bin/env node
// Adds up the JSON results vitest wrote in each package into one closing line:
// "tests: N passed, N failed, N skipped". Exits 1 when a package failed or nothing ran.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let suitesFailed = 0;
const packages = [];
for (const group of ['packages', 'tools']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const file = join(group, name, '.vitest-result.json');
    if (!existsSync(file)) continue;
    const result = JSON.parse(readFileSync(file, 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + (result.numTodoTests ?? 0);
    suitesFailed += result.numFailedTestSuites;
    packages.push(`${group}/${name}: ${result.numPassedTests} passed, ${result.numFailedTests} failed`);
  }
}
for (const line of packages) console.log(`  ${line}`);
if (suitesFailed > 0) console.log(`${suitesFailed} test file(s) failed to run`);
console.log(`tests: ${passed} passed, ${failed + suitesFailed} failed, ${skipped} skipped`);
if (passed === 0 || failed > 0 || suitesFailed > 0) process.exit(1);
