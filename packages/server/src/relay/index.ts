export { relay, Relay, type RelayInfo } from './relay-plugin.js';
export { PushRelay, type PushRelayInit, type RelayState } from './push-relay.js';
export { PullRelay, type PullRelayInit } from './pull-relay.js';
export { RELAY_DEFAULTS, type RelayOptions, type PushRule, type PullRule, type RelayEndpoint, type RelayStream } from './relay-options.js';
export { BACKOFF_DEFAULTS, type BackoffOptions } from './backoff.js';
export { matchesPattern, type NamePattern } from './name-pattern.js';
