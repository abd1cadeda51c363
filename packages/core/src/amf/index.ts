export * from './amf-value.js';
