import { packageTestConfig } from '../../vitest.shared.js';

// Packing and installing from the registry take time: each test has its own bound.
export default packageTestConfig({ testTimeout: 120_000 });
