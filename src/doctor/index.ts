// The doctor's host-inspection layer: gather raw outputs (probeHost), merge them into facts
// (inspectHost), and list what the host lacks for GPU containers (missing). Deciding which
// framework stacks the host can run is the command's job, with the matrix data.
export { probeHost, DEFAULT_TIMEOUT_MS, type ProbeOptions } from "./probe.js";
export { inspectHost } from "./inspect.js";
export { missing } from "./missing.js";
export { PROBE_SOURCES, type ProbeOutput, type ProbeSource, type RawHost } from "./raw-host.js";
export type {
  CdiFacts, CdiSpecFacts, DockerFacts, DockerState, GpuFacts, HostFacts, MissingId, MissingItem, OsFacts, PodmanFacts,
  ProbeStatus, SelinuxFacts, ToolkitFacts,
} from "./types.js";
