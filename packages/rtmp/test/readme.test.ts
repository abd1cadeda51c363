import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The README's first example is a complete program: run it against this package's source and
// check that it prints what its comment promises.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const [example] = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
const folder = new URL('./.readme-examples/', import.meta.url);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('README', () => {
  it('the end-to-end example runs and prints what it says', async () => {
    mkdirSync(folder, { recursive: true });
    const file = new URL('end-to-end.ts', folder);
    const source = fileURLToPath(new URL('../src/index.js', import.meta.url));
    writeFileSync(file, example!.replaceAll("from '@rtmpkit/rtmp'", `from ${JSON.stringify(source)}`));
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { breakLength: Infinity }))).join(' '));
    });
    try {
      await import(pathToFileURL(fileURLToPath(file)).href);
    } finally {
      log.mockRestore();
    }
    const promised = [...example!.matchAll(/console\.log\(.*\);? \/\/ (.*)$/gm)].map((match) => match[1]);
    expect(printed).toEqual(promised);
  });
});
