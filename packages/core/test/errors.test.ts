import { describe, expect, it } from 'vitest';
import { AmfDecodeError, LimitExceededError, RtmpError, RtmpProtocolError } from '../src/index.js';

describe('RtmpError', () => {
  it('carries a stable name, code and cause', () => {
    const cause = new Error('inner');
    const error = new RtmpProtocolError('bad chunk', { cause });
    expect(error.name).toBe('RtmpProtocolError');
    expect(error.code).toBe('ERR_RTMP_PROTOCOL');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(RtmpError);
    expect(error).toBeInstanceOf(Error);
  });

  it('isInstance recognises errors from another copy of the package', () => {
    // A second copy would have its own class objects but the same registered symbol.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@rtmpkit/core/error')]: true });
    expect(RtmpError.isInstance(foreign)).toBe(true);
    expect(RtmpError.isInstance(new Error('plain'))).toBe(false);
    expect(RtmpError.isInstance(null)).toBe(false);
    expect(RtmpError.isInstance(new AmfDecodeError('x'))).toBe(true);
  });

  it('a limit error names the option to raise', () => {
    const error = new LimitExceededError('maxMessageSize', 1024, 'message of 2048 bytes');
    expect(error.code).toBe('ERR_RTMP_LIMIT');
    expect(error.limit).toBe('maxMessageSize');
    expect(error.value).toBe(1024);
    expect(error.message).toContain('maxMessageSize');
  });
});
