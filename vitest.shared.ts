import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. Each run also writes `.vitest-result.json` in the
 * package folder, which `tools/ci/summarize-tests.mjs` adds up into one closing line.
 */
export function packageTestConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 30_000,
      reporters: ['default', ['json', { outputFile: '.vitest-result.json' }]],
    },
  });
}
