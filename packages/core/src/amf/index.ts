export * from './amf-value.js';
export * from './amf0/index.js';
export * from './amf3/index.js';
