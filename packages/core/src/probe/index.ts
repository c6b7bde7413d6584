/** Live probes: types, address policy, command allowlist, known_hosts, executors, engine. */
export * from './types.js';
export { AddressPolicy, parseCidr, resolveAllowed, systemLookup, LINK_LOCAL, CLOUD_METADATA, type Cidr, type Lookup, type Resolution } from './addressPolicy.js';
export { buildCommand, defineCommands, NO_COMMANDS, shellQuote, type BuiltCommand, type CommandSpec, type CommandTable, type Validator } from './commands.js';
export { localKeys, localKeyOf, pairObservations } from './keys.js';
export { KnownHostsFile, parseKnownHosts, patternsMatch, verifyHostKey, hostKeyName, describeKey, type KnownHostEntry, type HostKeyVerdict, type KnownHostsFileOptions } from './knownHosts.js';
export { redactText } from './redact.js';
export { mapLimited, Semaphore } from './limiter.js';
export { MAX_BODY_BYTES, httpUrlProblem } from './http.js';
export { MAX_PROBE_TIMEOUT_MS, clampTimeoutMs, clampProbeTimeouts, describeClamped } from './timeouts.js';
export {
  LiveExecutor,
  ReplayExecutor,
  readRecording,
  writeRecording,
  DEFAULT_CONCURRENCY,
  DEFAULT_SSH_CONCURRENCY,
  SSH_CONNECTIONS_PER_ENDPOINT,
  type LiveExecutorOptions,
  type Recording,
} from './executor.js';
export { planLiveChecks, executeLivePlan, missingObservation, runLiveChecks, type LivePlan, type LivePlanOptions, type PlannedCheck, type ProbeReport, type ProbeSummary } from './engine.js';
export { formatPlan, planJson, type PlannedProbeJson } from './plan.js';
export { prometheusTextfile } from './prometheus.js';
export { parseProbeSettings, type ProbeSettings } from './settings.js';
export { runLiveCheckOnFiles, type RunLiveCheckInput } from './testing.js';
