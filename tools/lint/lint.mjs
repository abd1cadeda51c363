#!/usr/bin/env node
// Project rules that a type checker does not see. Run from a package folder: `node ../../tools/lint/lint.mjs .`
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const packageDir = resolve(process.argv[2] ?? '.');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

const rules = [
  { where: 'src', pattern: /\bconsole\.(log|debug)\(/, message: 'console.log in library code: use the logger or remove it' },
  { where: 'src', pattern: /\bdebugger\b/, message: 'debugger statement' },
  { where: 'test', pattern: /\b(it|test|describe)\.only\(/, message: '.only would silently skip the rest of the suite' },
];
if (manifest.name === '@rtmpkit/core') {
  rules.push({
    where: 'src',
    pattern: /from\s+['"](node:)?(net|tls|dgram|http|https|http2)['"]/,
    message: '@rtmpkit/core does no I/O: move socket code to a transport package',
  });
}

function listSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : listSources(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

let failures = 0;
for (const rule of rules) {
  for (const file of listSources(join(packageDir, rule.where))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      if (rule.pattern.test(line)) {
        failures++;
        console.error(`${relative(process.cwd(), file)}:${index + 1}: ${rule.message}`);
      }
    });
  }
}
if (failures > 0) process.exit(1);
