import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** `@rtmpkit/server`'s version, from its package.json (`0.0.0` if it cannot be read). */
export function packageVersion(): string {
  if (cached === undefined) {
    try {
      // src/http/ and dist/http/ are both two levels below the package folder.
      const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cached = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}
