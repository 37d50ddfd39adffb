// `cuda-scaffold doctor`: inspect this host (or saved outputs) and say what it can run and what
// it lacks for GPU containers.
import { matrix } from "../matrix/data.js";
import { inspectHost, missing, probeHost, type HostFacts } from "../doctor/index.js";
import { gpuCeilings, gpuFloors, hostFactsSummary } from "./host-stacks.js";
import { printable } from "../terminal-text.js";
import { fail } from "../errors.js";

const list = (xs: string[], n = 4) => printable(xs.length > n ? `${xs.slice(0, n).join(", ")}, … (${xs.length})` : xs.join(", "));

/** Podman, each CDI spec against the loaded driver, SELinux: only what was probed. */
function podmanLines(facts: HostFacts): string[] {
  const { podman, cdi, selinux } = facts;
  const lines: string[] = [];
  if (podman.state !== "unknown") {
    const how = podman.rootless === null ? "" : podman.rootless ? " (rootless)" : " (rootful)";
    lines.push(`podman   ${podman.state === "installed" ? `${printable(podman.version ?? "")}${how}` : podman.state}${podman.state === "error" && podman.error ? `: ${printable(podman.error)}` : ""}`);
  }
  const compose = composeLine(facts);
  if (compose) lines.push(compose);
  if (cdi.checked && cdi.specs.length === 0) lines.push("cdi      no specs in /etc/cdi or /var/run/cdi");
  for (const s of cdi.specs) {
    const driver = s.driverVersions.length ? `, driver ${list(s.driverVersions)}` : "";
    const verdict = s.stale === true ? ` (stale: driver ${cdi.driver} is loaded)` : s.stale === false ? " (matches the loaded driver)" : "";
    const devices = s.devices.length ? ` · devices ${list(s.devices)}` : "";
    lines.push(`cdi      ${printable(s.path)}: ${printable(s.kind ?? "no kind")}${driver}${verdict}${devices}`);
  }
  for (const problem of cdi.problems) lines.push(`cdi      ${printable(problem)}`);
  if (selinux.mode !== null) {
    const bool = selinux.containerUseDevices === null ? "" : `, container_use_devices ${selinux.containerUseDevices ? "on" : "off"}`;
    lines.push(`selinux  ${selinux.mode}${bool}${selinux.error ? ` (${printable(selinux.error)})` : ""}`);
  }
  return lines;
}

/** What `podman compose` runs, and podman-compose's version: only where Podman is installed. */
function composeLine(facts: HostFacts): string | null {
  const { state, compose } = facts.podman;
  if (state !== "installed") return null;
  const userns = compose.passesUsernsMode === false ? " (does not run the generated services with their userns_mode)" : "";
  const pc = compose.installed === false ? "podman-compose not installed" : compose.version ? `podman-compose ${printable(compose.version)}${userns}` : null;
  let runs: string | null = null;
  if (compose.provider) {
    const cdi = compose.honoursCdiDevices === true ? " (keeps CDI devices: entries)" : compose.honoursCdiDevices === false ? " (drops CDI devices: entries)" : "";
    runs = `podman compose runs ${printable(compose.provider)}${cdi}`;
  } else if (compose.podmanCompose === false) runs = "no podman compose (Podman before 4.7): run podman-compose";
  else if (compose.podmanCompose === true) runs = "podman compose finds no provider";
  const parts = [runs, pc].filter((p): p is string => p !== null);
  return parts.length ? `compose  ${parts.join(" · ")}` : null;
}

export async function doctor(opts: { from?: string; json?: boolean; network?: boolean; mirror?: string; allowInsecureMirror?: boolean; timeout?: string }, print: (s: string) => void): Promise<number> {
  // --network: the endpoints the generated files fetch from, not this host's GPUs (src/mirrors/).
  if (opts.network) return (await import("../mirrors/network-check.js")).networkCheck(opts, print);
  if (opts.mirror !== undefined || opts.timeout !== undefined || opts.allowInsecureMirror) fail({ code: "invalid-value", message: "--mirror, --allow-insecure-mirror and --timeout apply to doctor --network only.", hint: "Add --network to check the endpoints, or leave them out." });
  const facts = inspectHost(await probeHost(opts.from ? { from: opts.from } : {}));
  const { gpus, cuda, platform, stacks } = hostFactsSummary(matrix, facts);
  const lacking = missing(facts, gpuFloors(matrix, facts.gpus), gpuCeilings(matrix, facts.gpus));
  if (opts.json) {
    print(JSON.stringify({ ...facts, cuda, gpus, platform, canRun: stacks, missing: lacking }, null, 2));
    return 0;
  }
  const lines: string[] = [];
  // Every value below comes from the host or a capture: each is shown with its control characters
  // escaped, so a crafted name cannot clear the screen or forge a line of this report.
  const os = printable(facts.os?.prettyName ?? facts.os?.id ?? "unknown OS");
  lines.push(`host     ${os}${facts.kernel ? `, kernel ${printable(facts.kernel)}` : ""}${opts.from ? ` (from ${printable(opts.from)})` : ""}`);
  if (facts.wsl === 2) lines.push("wsl      WSL 2: the GPU and its driver are the Windows ones; install no Linux NVIDIA driver here");
  if (facts.wsl === 1) lines.push("wsl      WSL 1: no GPU (only WSL 2 shares the Windows driver's GPU)");
  lines.push(facts.driver ? `driver   ${facts.driver}${facts.kernelModule ? ` (${facts.kernelModule} kernel module)` : ""}, CUDA ${cuda ?? "?"} or older` : "driver   none found (nvidia-smi did not answer)");
  if (gpus.length === 0) lines.push("gpus     none found");
  const groups = new Map<string, { g: (typeof gpus)[number]; n: number }>();
  for (const g of gpus) {
    const key = `${g.name}|${g.computeCapability}`;
    groups.set(key, { g, n: (groups.get(key)?.n ?? 0) + 1 });
  }
  for (const { g, n } of groups.values()) {
    const cc = g.computeCapability ? `sm_${g.computeCapability.replace(".", "")}${g.computeCapabilitySource === "matrix" ? " (from our GPU data)" : ""}` : "compute capability unknown";
    lines.push(`gpu      ${n > 1 ? `${n}× ` : ""}${printable(g.name)} · ${cc}${g.memoryMiB ? ` · ${Math.round(g.memoryMiB / 1024)} GiB` : ""}`);
  }
  lines.push(`docker   ${facts.docker.state}${facts.docker.serverVersion ? ` ${printable(facts.docker.serverVersion)}` : ""}${facts.docker.nvidiaRuntime ? ", nvidia runtime registered" : ""}`);
  lines.push(`toolkit  ${facts.containerToolkit.installed ? `NVIDIA Container Toolkit ${printable(facts.containerToolkit.version ?? "")}`.trim() : facts.containerToolkit.installed === false ? "NVIDIA Container Toolkit not installed" : "not checked"}`);
  lines.push(...podmanLines(facts));
  if (facts.secureBoot !== null) lines.push(`secure boot ${facts.secureBoot ? "on" : "off"}`);
  if (platform === "linux/arm64") lines.push(`platform linux/arm64 (${printable(facts.machine ?? "a Grace GPU")}): the stacks below have aarch64 CUDA wheels`);
  if (stacks.length) {
    lines.push("", "can run (newest release whose build this driver and these GPUs support):");
    const nothing = platform === "linux/arm64" ? "nothing with aarch64 CUDA wheels that this driver and these GPUs support" : "nothing: the driver is too old or the GPUs too new";
    for (const s of stacks) lines.push(`  ${s.framework.padEnd(11)} ${s.newest ? `${s.newest.label}   (CUDA builds ${s.cudaBuilds.join(", ")})` : nothing}`);
  }
  if (lacking.length) {
    lines.push("", "missing for GPU containers:");
    for (const item of lacking) {
      lines.push(`  ✘ ${printable(item.message, 1000)}`, `      fix: ${printable(item.fix, 2000)}`);
      if (item.hint) lines.push(`      ${printable(item.hint, 2000)}`);
    }
  } else if (facts.driver) lines.push("", "ready for GPU containers.");
  print(lines.join("\n"));
  return 0;
}
