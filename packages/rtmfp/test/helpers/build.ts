import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((entry) => (entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs)));
}

/**
 * Tests that run node processes (the example, peers in network namespaces) load the built
 * package: build dist/ first when it is missing or older than src/.
 */
export function ensureBuilt(): void {
  const main = join(packageDir, 'dist', 'index.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newest(join(packageDir, 'src'))) return;
  execFileSync(process.execPath, [join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'pipe', timeout: 120_000 });
}
