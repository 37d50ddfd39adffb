// Merges what every probe said into one HostFacts. Precedence for nvidia-smi facts:
// XML > CSV > CSV without header > table > `-q` text; the kernel module file is the last word on
// the driver version and the only one on its flavour (open or proprietary).
import type { RawHost } from "./raw-host.js";
import { parseRaw, type Parsed } from "./parse-raw.js";
import { mergeGpus } from "./merge-gpus.js";
import { parseMachine } from "./parse-uname.js";
import { wslOf } from "./wsl.js";
import { probeStatuses } from "./inspect-status.js";
import { cdiFacts, podmanFacts, selinuxFacts } from "./inspect-podman.js";
import type { DockerFacts, HostFacts, NvsmiReport, OsFacts, ToolkitFacts } from "./types.js";

const NVSMI_PRECEDENCE = [
  "nvidia-smi-xml",
  "nvidia-smi-csv",
  "nvidia-smi-csv-noheader",
  "nvidia-smi-table",
  "nvidia-smi-text",
] as const;

const first = <T>(values: (T | undefined)[]): T | undefined => values.find((v) => v !== undefined);

function nvsmiReports(parsed: Parsed): NvsmiReport[] {
  return NVSMI_PRECEDENCE.flatMap((s) => (parsed[s] ? [parsed[s]] : []));
}

function dockerFacts(raw: RawHost, parsed: Parsed): DockerFacts {
  const facts: DockerFacts = {
    state: "unknown", serverVersion: null, runtimes: [], defaultRuntime: null,
    nvidiaRuntime: null, cdiSpecDirs: [], cdiDevices: [],
  };
  const out = raw.outputs["docker-info"];
  if (out?.absent === "tool") return { ...facts, state: "not-installed", error: out.reason ?? "docker: not found" };
  Object.assign(facts, parsed["docker-info"]);
  if (facts.state === "unknown" && out && !out.ok && out.absent !== "capture" && !facts.error && out.reason) facts.error = out.reason;
  return facts;
}

function toolkitFacts(raw: RawHost, parsed: Parsed, docker: DockerFacts): ToolkitFacts {
  const ctk = parsed["nvidia-ctk"];
  const version = ctk?.version ?? null;
  if (ctk?.installed || docker.nvidiaRuntime) return { installed: true, version };
  const absent = raw.outputs["nvidia-ctk"]?.absent === "tool";
  return { installed: ctk?.installed === false || absent ? false : null, version };
}

function osFacts(parsed: Parsed): OsFacts | undefined {
  const os = parsed["os-release"];
  if (!os || Object.keys(os).length === 0) return undefined;
  return { id: null, versionId: null, prettyName: null, ...os };
}

/** The NVIDIA module banner names the architecture: "NVIDIA UNIX x86_64 Kernel Module", "… Open Kernel Module for aarch64". */
function machineFromModule(raw: RawHost): string | undefined {
  const text = raw.outputs["proc-driver-version"]?.text ?? "";
  return /NVIDIA UNIX (?:Open Kernel Module for )?(x86_64|aarch64)\b/.exec(text)?.[1];
}

/**
 * Jetson runs L4T, whose kernels are released as <version>-tegra (5.15.148-tegra on JetPack 6), and
 * whose integrated GPU nvidia-smi lists as "Orin (nvgpu)". Neither is an SBSA data-center host.
 */
function isJetson(facts: HostFacts): boolean {
  return /-tegra$/.test(facts.kernel ?? "") || facts.gpus.some((g) => /\(nvgpu\)/i.test(g.name));
}

export function inspectHost(raw: RawHost): HostFacts {
  const parsed = parseRaw(raw);
  const nvsmi = nvsmiReports(parsed);
  const proc = parsed["proc-driver-version"];
  const docker = dockerFacts(raw, parsed);
  const driver = first(nvsmi.map((r) => r.driver)) ?? proc?.driver ?? null;
  const facts: HostFacts = {
    driver,
    cuda: first(nvsmi.map((r) => r.cuda)) ?? null,
    kernelModule: proc?.kernelModule ?? null,
    gpus: mergeGpus(nvsmi.flatMap((r) => (r.gpus ? [r.gpus] : []))),
    docker,
    containerToolkit: toolkitFacts(raw, parsed, docker),
    podman: podmanFacts(raw, parsed),
    // The loaded module is what a CDI spec must match; nvidia-smi's version when there is no module file.
    cdi: cdiFacts(raw, proc?.driver ?? driver),
    selinux: selinuxFacts(raw, parsed),
    secureBoot: parsed.mokutil?.secureBoot ?? null,
    probes: probeStatuses(raw, parsed),
  };
  const os = osFacts(parsed);
  if (os) facts.os = os;
  if (parsed.uname?.kernel) facts.kernel = parsed.uname.kernel;
  const machine = parseMachine(raw.outputs.uname?.text ?? "").machine ?? machineFromModule(raw);
  if (machine) facts.machine = machine;
  if (isJetson(facts)) facts.jetson = true;
  const wsl = wslOf(facts.kernel);
  if (wsl) facts.wsl = wsl;
  if (parsed.nvcc?.version) facts.nvcc = parsed.nvcc.version;
  return facts;
}
