import { describe, expect, it } from 'vitest';
import { parseTunnelPath, tunnelPath } from '../src/protocol/tunnel-path.js';

describe('parseTunnelPath', () => {
  it('reads the four commands and ident2', () => {
    expect(parseTunnelPath('/open/1')).toEqual({ kind: 'open' });
    expect(parseTunnelPath('/send/abc123/0')).toEqual({ kind: 'send', id: 'abc123', seq: 0 });
    expect(parseTunnelPath('/idle/abc123/17?x=1')).toEqual({ kind: 'idle', id: 'abc123', seq: 17 });
    expect(parseTunnelPath('/close/abc123/999999999999999')).toEqual({ kind: 'close', id: 'abc123', seq: 999999999999999 });
    expect(parseTunnelPath('/fcs/ident2')).toEqual({ kind: 'ident' });
  });

  it('leaves paths it does not own to the caller', () => {
    for (const path of ['/', '/live/x.flv', '/api/streams', '/opened/1', '/sender/a/1', 'open/1', '']) {
      expect(parseTunnelPath(path), path).toBeUndefined();
    }
  });

  it('marks malformed paths of its own as unknown, and bad sequence numbers as such', () => {
    for (const path of ['/open', '/open/', '/open/x', '/open/1/2', '/send/abc', '/send//1', '/send/a/1/2', '/fcs/other', '/idle/a b/1']) {
      expect(parseTunnelPath(path), path).toEqual({ kind: 'unknown' });
    }
    for (const path of ['/send/abc/-1', '/send/abc/1.5', '/send/abc/x', '/send/abc/1234567890123456']) {
      expect(parseTunnelPath(path)?.kind, path).toBe('bad-seq');
    }
  });

  it('builds the client paths', () => {
    expect(tunnelPath('open')).toBe('/open/1');
    expect(tunnelPath('send', 'id', 0)).toBe('/send/id/0');
    expect(parseTunnelPath(tunnelPath('close', 'f00d', 42))).toEqual({ kind: 'close', id: 'f00d', seq: 42 });
  });
});
