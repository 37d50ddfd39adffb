// What the probes gathered, before any parsing: one text per source. A source that was not
// attempted is absent from `outputs`; one that was attempted always has an entry.

/** The most of one output that is read or kept: a real one is well under 1 MB (nvidia-smi -q -x
 *  is ~30 KB per GPU), and every parser is linear, so this bounds the time a capture can cost. */
export const MAX_CAPTURE_BYTES = 2 * 1024 * 1024;

export const PROBE_SOURCES = [
  "nvidia-smi-xml", // nvidia-smi -q -x
  "nvidia-smi-csv", // nvidia-smi --query-gpu=… --format=csv
  "nvidia-smi-csv-noheader", // nvidia-smi --query-gpu=… --format=csv,noheader
  "nvidia-smi-table", // nvidia-smi
  "nvidia-smi-text", // nvidia-smi -q
  "proc-driver-version", // /proc/driver/nvidia/version
  "nvcc", // nvcc --version
  "uname", // uname -r (or a uname -a line)
  "os-release", // /etc/os-release
  "docker-info", // docker info --format '{{json .}}'
  "nvidia-ctk", // nvidia-ctk --version
  "mokutil", // mokutil --sb-state
  "podman-info", // podman info --format json
  "getenforce", // getenforce
  "selinux-enforce", // /sys/fs/selinux/enforce (where getenforce is not installed)
  "getsebool", // getsebool container_use_devices
  "podman-compose-provider", // podman --log-level=debug compose version (stdout and stderr)
  "podman-compose-version", // podman-compose version
] as const;

export type ProbeSource = (typeof PROBE_SOURCES)[number];

export interface ProbeOutput {
  /** The tool ran and exited 0, or the file was read. */
  ok: boolean;
  /** stdout; on failure stdout followed by stderr (parsers recognise the tools' error messages). */
  text: string;
  /** Why `ok` is false. */
  reason?: string;
  /** "tool": the command or file does not exist on this host (a fact: not installed / not loaded).
   *  "capture": the --from folder has no file for it (unknown). */
  absent?: "tool" | "capture";
}

/** The folders Podman (and Docker with CDI) read CDI specs from, in order of priority (a spec in a
 *  later folder overrides one of the same kind in an earlier folder). */
export const CDI_DIRS = ["/etc/cdi", "/var/run/cdi"] as const;
export type CdiDir = (typeof CDI_DIRS)[number];

/** One CDI spec file as read from a CDI folder (or its copy in a capture). */
export interface CdiSpecFile {
  dir: CdiDir;
  name: string;
  text: string;
}

/** What the CDI folders held: every spec file read, and why any other entry was not read. */
export interface CdiCapture {
  files: CdiSpecFile[];
  problems: string[];
}

export interface RawHost {
  origin: "host" | "dir";
  outputs: Partial<Record<ProbeSource, ProbeOutput>>;
  /** The CDI folders; absent when they were not looked at (a capture without copies of them). */
  cdi?: CdiCapture;
}
