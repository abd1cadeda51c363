/** Lower case, without a trailing dot: how names are compared. */
export function normalizeServerName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * True when `pattern` (a host name, or `*.example.com` for exactly one more label) covers the
 * name a client sent in SNI. Both are compared case-insensitively.
 */
export function serverNameMatches(pattern: string, servername: string): boolean {
  const wanted = normalizeServerName(pattern);
  const name = normalizeServerName(servername);
  if (!wanted.startsWith('*.')) return wanted === name;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot) === wanted.slice(1);
}
