import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The README's examples are part of the documentation users copy: run each one, in order, against
// this package's source, and check that what it prints is what its `// comment` says.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
const folder = new URL('./.readme-examples/', import.meta.url);
const source = fileURLToPath(new URL('../src/index.js', import.meta.url));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'rtmpkit-flv-readme.flv'), { force: true }); // the file the examples share
});

/** What each `console.log(…); // expected` line promises; a trailing `...` means "starts with". */
function promises(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\);? \/\/ (.*)$/gm)].map((match) => match[1]!);
}

describe('README examples', () => {
  it('has an example for each part', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.every((code) => code.includes("from '@rtmpkit/flv'"))).toBe(true);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))('example %i runs and prints what it says', async (number, code) => {
    mkdirSync(folder, { recursive: true });
    const file = new URL(`example-${number}.ts`, folder);
    writeFileSync(file, code.replaceAll("from '@rtmpkit/flv'", `from ${JSON.stringify(source)}`));
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map((arg) => inspect(arg, { breakLength: Infinity })).join(' '));
    });
    try {
      await import(pathToFileURL(fileURLToPath(file)).href);
    } finally {
      log.mockRestore();
    }
    const expected = promises(code);
    expect(printed).toHaveLength(expected.length);
    expected.forEach((line, i) => {
      if (line.endsWith('...')) expect(printed[i]!.startsWith(line.slice(0, -3)), `${printed[i]} starts with ${line}`).toBe(true);
      else expect(printed[i]).toBe(line);
    });
  });
});
