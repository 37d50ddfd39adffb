// Gathers this host's raw outputs by running the tools (all at once, each bounded by the
// timeout) and reading a few files and the CDI spec folders. Every probe is optional.
import { MAX_CAPTURE_BYTES, type ProbeOutput, type ProbeSource, type RawHost } from "./raw-host.js";
import { runTool, type RunToolOptions } from "./run-tool.js";
import { readRegularFile } from "../read-regular-file.js";
import { probeCdiLive } from "./probe-cdi.js";
import { SELINUX_DEVICE_BOOLEAN } from "./fix-commands.js";
import { WSL_NVIDIA_SMI, wslOf } from "./wsl.js";
import { existsSync } from "node:fs";

const QUERY_GPU = "--query-gpu=index,name,driver_version,compute_cap,memory.total,pci.bus_id,uuid";

/** The commands run on a live host. nvidia-smi -q (text) and the noheader CSV add nothing there. */
export const LIVE_COMMANDS: Partial<Record<ProbeSource, readonly [string, string[]]>> = {
  "nvidia-smi-xml": ["nvidia-smi", ["-q", "-x"]],
  "nvidia-smi-csv": ["nvidia-smi", [QUERY_GPU, "--format=csv"]],
  "nvidia-smi-table": ["nvidia-smi", []],
  nvcc: ["nvcc", ["--version"]],
  "docker-info": ["docker", ["info", "--format", "{{json .}}"]],
  "nvidia-ctk": ["nvidia-ctk", ["--version"]],
  mokutil: ["mokutil", ["--sb-state"]],
  "podman-info": ["podman", ["info", "--format", "json"]],
  getenforce: ["getenforce", []],
  getsebool: ["getsebool", [SELINUX_DEVICE_BOOLEAN]],
  // Podman names the provider it runs on stderr (parse-podman-compose.ts); `version` is harmless in every provider.
  "podman-compose-provider": ["podman", ["--log-level=debug", "compose", "version"]],
  "podman-compose-version": ["podman-compose", ["version"]],
};

/** Sources whose stderr is part of what is parsed even when the tool succeeds. */
const WITH_STDERR: ReadonlySet<ProbeSource> = new Set(["podman-compose-provider"]);

/** Files read on a live host; the first that exists wins. */
export const LIVE_FILES: Partial<Record<ProbeSource, string[]>> = {
  "proc-driver-version": ["/proc/driver/nvidia/version"],
  "os-release": ["/etc/os-release", "/usr/lib/os-release"],
  // Absent when SELinux is disabled (selinuxfs is not mounted): getenforce then says "Disabled".
  "selinux-enforce": ["/sys/fs/selinux/enforce"],
};

async function readFirst(paths: string[]): Promise<ProbeOutput> {
  for (const path of paths) {
    const read = readRegularFile(path, { maxBytes: MAX_CAPTURE_BYTES, followLinks: true });
    if (read.ok) return { ok: true, text: read.text };
    if (read.kind !== "absent") return { ok: false, text: "", reason: `${path} ${read.reason}` };
  }
  return { ok: false, text: "", reason: `${paths.join(", ")}: absent`, absent: "tool" };
}

export async function probeLive(opts: RunToolOptions): Promise<RawHost> {
  // node:os is loaded here only: the chunk that holds this module serves every rendering command.
  const { machine, release } = await import("node:os");
  // In WSL 2, nvidia-smi is the Windows driver's, in a folder that sudo's PATH lacks.
  const nvidiaSmi = wslOf(release()) === 2 && existsSync(WSL_NVIDIA_SMI) ? WSL_NVIDIA_SMI : "nvidia-smi";
  const jobs: Promise<[ProbeSource, ProbeOutput]>[] = [];
  for (const [source, [cmd, args]] of Object.entries(LIVE_COMMANDS) as [ProbeSource, readonly [string, string[]]][]) {
    jobs.push(runTool(cmd === "nvidia-smi" ? nvidiaSmi : cmd, args, WITH_STDERR.has(source) ? { ...opts, withStderr: true } : opts).then((out) => [source, out]));
  }
  for (const [source, paths] of Object.entries(LIVE_FILES) as [ProbeSource, string[]][]) {
    jobs.push(readFirst(paths).then((out) => [source, out]));
  }
  const outputs: RawHost["outputs"] = Object.fromEntries(await Promise.all(jobs));
  // The shape of a `uname -a` line, so that the machine architecture is read like a capture's.
  outputs.uname = { ok: true, text: `Linux localhost ${release()} ${machine()}` };
  return { origin: "host", outputs, cdi: probeCdiLive() };
}
