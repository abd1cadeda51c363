import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export type PeerName = 'ffmpeg' | 'ffprobe' | 'rtmpdump' | 'rtmpsrv' | 'nginx' | 'nginx-rtmp' | 'nginx-stream';

const moduleFiles: Partial<Record<PeerName, string>> = {
  'nginx-rtmp': '/usr/lib/nginx/modules/ngx_rtmp_module.so',
  'nginx-stream': '/usr/lib/nginx/modules/ngx_stream_module.so',
};

const found = new Map<PeerName, string | undefined>();

/** The absolute path of a peer program (or module file), or undefined when it is not installed. */
export function findPeer(name: PeerName): string | undefined {
  if (found.has(name)) return found.get(name);
  let path: string | undefined;
  const moduleFile = moduleFiles[name];
  if (moduleFile) {
    path = existsSync(moduleFile) ? moduleFile : undefined;
  } else {
    for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']) {
      if (existsSync(`${dir}/${name}`)) {
        path = `${dir}/${name}`;
        break;
      }
    }
    if (!path) {
      try {
        path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
      } catch {
        path = undefined;
      }
    }
  }
  found.set(name, path);
  return path;
}

/** The peer's path; throws (with what to install) when it is missing. */
export function peerPath(name: PeerName): string {
  const path = findPeer(name);
  if (!path) throw new Error(`${name} is not installed: run tools/ci/ensure-peers.sh as root (apt-get install ffmpeg rtmpdump nginx libnginx-mod-rtmp libnginx-mod-stream)`);
  return path;
}

/**
 * `describe` for tests that need real peers. When one is missing the block is skipped locally,
 * but under CI=true it becomes a failing test, so CI can never pass by skipping interop.
 */
export function describeWithPeers(title: string, peers: PeerName[], body: () => void): void {
  const missing = peers.filter((peer) => !findPeer(peer));
  if (missing.length === 0) {
    describe(title, body);
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it(`needs ${missing.join(', ')}`, () => {
        throw new Error(`missing peers under CI: ${missing.join(', ')}; tools/ci/ensure-peers.sh should have installed them`);
      });
    });
  } else {
    describe.skip(`${title} (skipped: ${missing.join(', ')} not installed; run tools/ci/ensure-peers.sh)`, body);
  }
}
