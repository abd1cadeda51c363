import { hostname, networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { canonicalIp, servedNames } from '../src/served-names.js';
import { serverNameMatches } from '../src/sni-match.js';

describe('servedNames (what a development certificate lists)', () => {
  it('is the loopback names plus a specific bound host and the configured names', () => {
    expect(servedNames('127.0.0.1')).toEqual({ hostnames: ['localhost'], ips: ['127.0.0.1', '::1'] });
    expect(servedNames('192.0.2.7', ['Media.Test'])).toEqual({ hostnames: ['localhost', 'media.test'], ips: ['127.0.0.1', '::1', '192.0.2.7'] });
    expect(servedNames('stream.test')).toEqual({ hostnames: ['localhost', 'stream.test'], ips: ['127.0.0.1', '::1'] });
    expect(servedNames('0:0:0:0:0:0:0:1').ips).toEqual(['127.0.0.1', '::1']);
  });

  it("adds this machine's name and interface addresses when binding every interface", () => {
    const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((info) => canonicalIp(info.address)));
    for (const host of ['0.0.0.0', '::']) {
      const names = servedNames(host);
      for (const address of addresses) expect(names.ips).toContain(address);
      if (/^[a-z0-9.-]+$/i.test(hostname())) expect(names.hostnames).toContain(hostname().toLowerCase());
    }
  });

  it('writes IPv6 addresses in their short form', () => {
    expect(canonicalIp('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('serverNameMatches (SNI)', () => {
  it('matches names exactly, ignoring case and a trailing dot', () => {
    expect(serverNameMatches('media.test', 'media.test')).toBe(true);
    expect(serverNameMatches('Media.Test', 'media.TEST.')).toBe(true);
    expect(serverNameMatches('media.test', 'other.test')).toBe(false);
    expect(serverNameMatches('media.test', 'a.media.test')).toBe(false);
  });

  it('lets *.name cover exactly one more label', () => {
    expect(serverNameMatches('*.live.test', 'a.live.test')).toBe(true);
    expect(serverNameMatches('*.live.test', 'live.test')).toBe(false);
    expect(serverNameMatches('*.live.test', 'a.b.live.test')).toBe(false);
    expect(serverNameMatches('*.live.test', 'a.xlive.test')).toBe(false);
  });
});
