import { describe, expect, it } from 'vitest';
import { RtmpError } from '../src/errors/index.js';
import { InvalidUrlError, parseRtmpUrl } from '../src/url/index.js';

describe('parseRtmpUrl', () => {
  it.each([
    ['rtmp://127.0.0.1/live', { scheme: 'rtmp', host: '127.0.0.1', port: 1935, app: 'live', tcUrl: 'rtmp://127.0.0.1:1935/live' }],
    ['rtmp://example.com:1940/vod/room1', { scheme: 'rtmp', host: 'example.com', port: 1940, app: 'vod/room1', tcUrl: 'rtmp://example.com:1940/vod/room1' }],
    ['rtmps://a.example/live/', { scheme: 'rtmps', host: 'a.example', port: 443, app: 'live', tcUrl: 'rtmps://a.example:443/live' }],
    ['rtmpt://[::1]/live', { scheme: 'rtmpt', host: '::1', port: 80, app: 'live', tcUrl: 'rtmpt://[::1]:80/live' }],
    ['rtmp://h/live?token=abc', { scheme: 'rtmp', host: 'h', port: 1935, app: 'live?token=abc', tcUrl: 'rtmp://h:1935/live?token=abc' }],
  ])('%s', (input, expected) => {
    expect(parseRtmpUrl(input)).toEqual(expected);
  });

  it.each([
    ['not a url', /is not a URL/],
    ['http://h/live', /unknown scheme "http:"/],
    ['rtmp://h/', /names no application/],
  ])('rejects %s with a typed error that says what to do', (input, message) => {
    const error = (() => {
      try {
        parseRtmpUrl(input);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidUrlError);
    expect(RtmpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a scheme the transport does not speak', () => {
    expect(() => parseRtmpUrl('rtmps://h/live', ['rtmp'])).toThrow(/use the rtmps transport package/);
  });
});
