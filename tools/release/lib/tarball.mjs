// What a packed tarball holds, and the rules for what a published rtmpkit package may ship.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * Reads an npm tarball (gzip'd tar, every path under `package/`): its files by path without that
 * prefix, and its parsed package.json.
 * @returns {{ files: Map<string, Buffer>, manifest: Record<string, any> }}
 */
export function readTarball(path) {
  const tar = gunzipSync(readFileSync(path));
  const files = new Map();
  let offset = 0;
  let longName;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar') ? field(345, 155) : '';
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      // pax extended header: "<len> path=<name>\n" records
      const match = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (match) longName = match[1];
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') continue; // directories, links
    files.set(name.replace(/^[^/]+\//, ''), Buffer.from(body));
  }
  const manifestBytes = files.get('package.json');
  if (!manifestBytes) throw new Error(`${path} has no package/package.json`);
  return { files, manifest: JSON.parse(manifestBytes.toString('utf8')) };
}

const ALWAYS_SHIPPED = /^(package\.json|README\.md|CHANGELOG\.md|LICEN[CS]E(\.md|\.txt)?)$/i;
const NEVER_SHIPPED = [
  { pattern: /\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)__tests__\//, what: 'a test file' },
  { pattern: /(^|\/)fixtures?\//, what: 'a test fixture' },
  { pattern: /\.map$/, what: 'a source map (the sources are not shipped)' },
  { pattern: /\.tsbuildinfo$/, what: 'a TypeScript build-info file' },
];

/**
 * The problems of a packed tarball, as sentences. `released` (a version other than 0.0.0) also
 * requires the CHANGELOG.md that `changeset version` writes.
 * @param {{ files: Map<string, Buffer>, manifest: Record<string, any> }} tarball
 */
export function tarballProblems({ files, manifest }) {
  const problems = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file|portal):/.test(String(range))) problems.push(`${field}.${name} is "${range}" in the tarball: pack with pnpm so it becomes a version range`);
    }
  }
  const bins = Object.entries(typeof manifest.bin === 'string' ? { [String(manifest.name).replace(/^@[^/]+\//, '')]: manifest.bin } : (manifest.bin ?? {}));
  const binFiles = new Set(bins.map(([, target]) => String(target).replace(/^\.\//, '')));
  for (const path of files.keys()) {
    if (ALWAYS_SHIPPED.test(path)) continue;
    if (!path.startsWith('dist/') && !path.startsWith('bin/') && !binFiles.has(path)) {
      problems.push(`ships ${path}: only dist/, bin/, README.md, CHANGELOG.md and LICENSE belong in the tarball`);
      continue;
    }
    for (const { pattern, what } of NEVER_SHIPPED) {
      if (pattern.test(path)) problems.push(`ships ${path}, ${what}: exclude it in "files"`);
    }
  }
  if (!files.has('README.md')) problems.push('has no README.md');
  if (manifest.version !== '0.0.0' && !files.has('CHANGELOG.md')) {
    problems.push(`version ${manifest.version} has no CHANGELOG.md: \`pnpm changeset version\` writes it`);
  }
  for (const target of exportTargets(manifest.exports)) {
    if (!files.has(target.replace(/^\.\//, ''))) problems.push(`"exports" names ${target}, which is not in the tarball`);
  }
  for (const [command, target] of bins) {
    const file = files.get(String(target).replace(/^\.\//, ''));
    if (!file) problems.push(`bin "${command}" is ${target}, which is not in the tarball`);
    else if (!file.subarray(0, 64).toString('utf8').startsWith('#!/usr/bin/env node')) problems.push(`bin "${command}" (${target}) does not start with #!/usr/bin/env node`);
  }
  return problems;
}

/** Every file path an `exports` value names (conditions and subpaths, without patterns). */
export function exportTargets(exportsField) {
  if (typeof exportsField === 'string') return exportsField.includes('*') ? [] : [exportsField];
  if (Array.isArray(exportsField)) return exportsField.flatMap(exportTargets);
  if (exportsField && typeof exportsField === 'object') return Object.values(exportsField).flatMap(exportTargets);
  return [];
}
