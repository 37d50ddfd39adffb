// Every other command, loaded by the CLI as one module (one chunk beside chunk-resolve's; see
// there why): generate, check and explain render templates; doctor and --gpu auto probe the host.
// One chunk for all of them loads fewer files than a chunk each, and esbuild splits code shared
// between several dynamic imports into further chunks of its own.
export { generate } from "./generate.js";
export { check } from "./check.js";
export { explain } from "./explain.js";
export { doctor } from "./doctor.js";
export { resolveAuto } from "./auto-host.js";
