export * from './errors/index.js';
export * from './bytes/index.js';
export * from './amf/index.js';
export * from './chunk/index.js';
export * from './handshake/index.js';
export * from './message/index.js';
export * from './session/index.js';
export * from './url/index.js';
