export { AsyncQueue } from './async-queue.js';
