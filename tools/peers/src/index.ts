export { findPeer, peerPath, describeWithPeers, type PeerName } from './peers.js';
export { startPeer, runPeer, freePort, waitForPort, type RunResult, type RunningPeer } from './processes.js';
export { startNginxRtmp, type NginxRtmp, type NginxRtmpOptions } from './nginx.js';
export { makeTestFlv, type TestMediaOptions } from './media.js';
