import { describe, expect, it } from 'vitest';
import { signStream, signStreamUrl, streamSignature, verifyStreamSignature } from '../src/index.js';

const SECRET = 'a secret of some length';
const NOW = Date.UTC(2026, 0, 1) ;

describe('signed stream URLs', () => {
  it('signs app, stream and expiry as documented (HMAC-SHA256, base64url, newline-separated)', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', SECRET).update('live\ncam1\n1767225600').digest('base64url');
    expect(streamSignature(SECRET, 'live', 'cam1', 1767225600)).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signStreamUrl puts exp and sig on the stream name and keeps an existing query', () => {
    const signed = new URL(signStreamUrl('rtmp://example.com:1935/live/cam1?x=1', { secret: SECRET, expiresIn: 60, now: NOW }));
    expect(signed.pathname).toBe('/live/cam1');
    expect(signed.searchParams.get('x')).toBe('1');
    expect(signed.searchParams.get('exp')).toBe(String(NOW / 1000 + 60));
    expect(signed.searchParams.get('sig')).toBe(streamSignature(SECRET, 'live', 'cam1', NOW / 1000 + 60));
  });

  it('takes the app as everything before the last slash', () => {
    const signed = new URL(signStreamUrl('rtmp://h/app/inst/cam', { secret: SECRET, expiresAt: 2_000_000_000 }));
    expect(signed.searchParams.get('sig')).toBe(streamSignature(SECRET, 'app/inst', 'cam', 2_000_000_000));
    expect(() => signStreamUrl('rtmp://h/live', { secret: SECRET })).toThrow(RangeError);
  });

  it('accepts a valid signature before expiry', () => {
    const { query, exp } = signStream('live', 'cam1', { secret: SECRET, expiresIn: 60, now: NOW });
    expect(verifyStreamSignature(SECRET, 'live', 'cam1', new URLSearchParams(query), { now: NOW })).toEqual({ ok: true, expires: exp });
  });

  it('refuses a signature for another stream, app or secret', () => {
    const { query } = signStream('live', 'cam1', { secret: SECRET, expiresIn: 60, now: NOW });
    const params = new URLSearchParams(query);
    expect(verifyStreamSignature(SECRET, 'live', 'cam2', params, { now: NOW })).toEqual({ ok: false, problem: 'invalid' });
    expect(verifyStreamSignature(SECRET, 'other', 'cam1', params, { now: NOW })).toEqual({ ok: false, problem: 'invalid' });
    expect(verifyStreamSignature('another secret', 'live', 'cam1', params, { now: NOW })).toEqual({ ok: false, problem: 'invalid' });
  });

  it('refuses a changed expiry (the signature covers it)', () => {
    const { exp, sig } = signStream('live', 'cam1', { secret: SECRET, expiresIn: 60, now: NOW });
    const params = new URLSearchParams({ exp: String(exp + 3600), sig });
    expect(verifyStreamSignature(SECRET, 'live', 'cam1', params, { now: NOW })).toEqual({ ok: false, problem: 'invalid' });
  });

  it('refuses an expired link, with the tolerance given', () => {
    const { query } = signStream('live', 'cam1', { secret: SECRET, expiresIn: 60, now: NOW });
    const params = new URLSearchParams(query);
    expect(verifyStreamSignature(SECRET, 'live', 'cam1', params, { now: NOW + 61_000 })).toEqual({ ok: false, problem: 'expired' });
    expect(verifyStreamSignature(SECRET, 'live', 'cam1', params, { now: NOW + 61_000, toleranceSeconds: 5 }).ok).toBe(true);
  });

  it('says what is wrong with missing or malformed parameters', () => {
    expect(verifyStreamSignature(SECRET, 'live', 'a', new URLSearchParams(''))).toEqual({ ok: false, problem: 'missing' });
    expect(verifyStreamSignature(SECRET, 'live', 'a', new URLSearchParams('exp=soon&sig=abc'))).toEqual({ ok: false, problem: 'malformed' });
    expect(verifyStreamSignature(SECRET, 'live', 'a', new URLSearchParams('exp=1&sig=a+b'))).toEqual({ ok: false, problem: 'malformed' });
    expect(verifyStreamSignature(SECRET, 'live', 'a', new URLSearchParams('exp=9999999999&sig=short'))).toEqual({ ok: false, problem: 'invalid' });
  });
});
