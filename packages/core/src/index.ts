/**
 * `@hmi/core`: the connector contract, the resilient HTTP pipeline, typed errors, redaction,
 * telemetry, pagination, the canonical model and the consent gate.
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './redaction/index.js';
export * from './telemetry/index.js';
export * from './http/index.js';
export * from './connector/index.js';
export * from './pagination/index.js';
export * from './model/index.js';
export * from './consent/index.js';
export * from './webhooks/index.js';
export {
  createPhiFirewall,
  type PhiFirewall,
  type PhiFirewallApplyOptions,
  type PhiFirewallCounts,
  type PhiFirewallMode,
  type PhiFirewallPolicy,
  type PhiFirewallResult,
  type TitleCategoryRule,
} from './privacy/phi-firewall.js';
