#!/usr/bin/env node
// The `rtmpkit` command: serve, publish, play, probe. The code is in dist/cli (built from src/cli).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('rtmpkit: @rtmpkit/server is not built (dist/cli/main.js is missing): run `pnpm build` in the repository first.\n');
    process.exit(1);
  }
  throw error;
}
await cli.runCli();
