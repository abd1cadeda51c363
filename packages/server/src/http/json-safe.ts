/** Bounds of `toJsonSafe`: metadata comes from publishers, so its size is theirs to choose. */
export const JSON_SAFE_LIMITS = Object.freeze({ depth: 6, arrayItems: 64, objectKeys: 128, stringLength: 1024 });

/**
 * A copy of an AMF value that `JSON.stringify` can write and a reader can use: Dates as ISO
 * strings, byte arrays as `{ bytes: n }`, Maps as objects, other class instances (XML, vectors)
 * by their plain fields, non-finite numbers as null; strings, arrays, keys and depth cut at
 * `JSON_SAFE_LIMITS`.
 */
export function toJsonSafe(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > JSON_SAFE_LIMITS.stringLength ? `${value.slice(0, JSON_SAFE_LIMITS.stringLength)}…` : value;
  if (typeof value !== 'object') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return { bytes: value.length };
  if (depth >= JSON_SAFE_LIMITS.depth) return '…';
  if (Array.isArray(value)) return value.slice(0, JSON_SAFE_LIMITS.arrayItems).map((item) => toJsonSafe(item, depth + 1));
  const entries = value instanceof Map ? [...value.entries()].map(([key, item]) => [String(key), item] as const) : Object.entries(value);
  return Object.fromEntries(entries.slice(0, JSON_SAFE_LIMITS.objectKeys).map(([key, item]) => [key, toJsonSafe(item, depth + 1)]));
}
