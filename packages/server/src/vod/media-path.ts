import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Longest path segment (an app or stream name part) accepted, in characters. */
export const MAX_SEGMENT_LENGTH = 255;
/** Most segments in app + name together (`app/dir/dir/name`). */
export const MAX_SEGMENTS = 16;

/** Controls (NUL included), backslashes and colons: never part of a media file name. */
const FORBIDDEN = /[\u0000-\u001f\u007f\\:]/;

/** The path segments of an app or stream name, or undefined when one of them is unsafe. */
function segmentsOf(value: string): string[] | undefined {
  if (value.length === 0 || value.startsWith('/') || FORBIDDEN.test(value)) return undefined;
  const segments = value.split('/');
  for (const segment of segments) {
    // Empty, `.`, `..` and hidden names (`.htpasswd`) are refused, as are over-long ones.
    if (segment.length === 0 || segment.startsWith('.') || segment.length > MAX_SEGMENT_LENGTH) return undefined;
  }
  return segments;
}

/**
 * The stream name without the prefix and extension players add: `flv:talk` and `talk.flv` are
 * `talk`. Other prefixes (`mp4:`, `mp3:`) name formats this server does not serve: undefined.
 */
export function bareFlvName(name: string): string | undefined {
  let bare = name;
  const colon = bare.indexOf(':');
  if (colon >= 0) {
    if (bare.slice(0, colon).toLowerCase() !== 'flv') return undefined;
    bare = bare.slice(colon + 1);
  }
  if (bare.toLowerCase().endsWith('.flv')) bare = bare.slice(0, -4);
  return bare;
}

/**
 * Where `app` / `name` lives under `root`: `<root>/<app>/<name><extension>`, or undefined when
 * the name cannot be a file there. Names are checked before any file system access: `..`,
 * `.`, hidden segments, absolute paths, backslashes, colons, NUL and other controls, empty
 * segments and over-long names are refused, and the joined path must stay under `root`.
 * (Symbolic links are checked by `insideRoot` when the file is opened.)
 */
export function mediaFilePath(root: string, app: string, name: string, extension = '.flv'): string | undefined {
  const appSegments = segmentsOf(app);
  const nameSegments = segmentsOf(name);
  if (!appSegments || !nameSegments || appSegments.length + nameSegments.length > MAX_SEGMENTS) return undefined;
  const base = resolve(root);
  const path = join(base, ...appSegments, ...nameSegments) + extension;
  const inside = relative(base, path);
  if (inside.length === 0 || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined;
  return path;
}

/**
 * True when `path` exists and, with every symbolic link resolved, is still under `root` (so a
 * link inside the media directory cannot expose files elsewhere). False when it does not exist.
 */
export async function insideRoot(root: string, path: string): Promise<boolean> {
  try {
    const [realRoot, realPath] = await Promise.all([realpath(root), realpath(path)]);
    const inside = relative(realRoot, realPath);
    return inside.length > 0 && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside);
  } catch {
    return false;
  }
}
