/** Where things are, from dist/fanout/ (compiled) as from src/fanout/. */
import { fileURLToPath } from 'node:url';

/** tools/bench/ */
export const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The repository root. */
export const REPO_DIR = fileURLToPath(new URL('../../../../', import.meta.url));
/** Compiled files of this folder (dist/fanout/). */
export const FANOUT_DIST_DIR = fileURLToPath(new URL('./', import.meta.url));
