// Reads saved outputs from a folder laid out like ../shared/real-hosts/h200-driver580/. Any
// subset of the files may be present; a missing file is recorded as not captured. host-info.txt
// (`cat /proc/driver/nvidia/version; nvcc --version; uname -a`) feeds three sources.
// Only regular files (or links to them) of at most MAX_CAPTURE_BYTES are read: a FIFO, a device
// or an oversized file is refused with a clear error before a byte of it is read. The CDI spec
// folders are read from copies of them, etc-cdi/ and var-run-cdi/ (probe-cdi.ts).
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { fail } from "../errors.js";
import { formatBytes, readRegularFile, type ReadFailure } from "../read-regular-file.js";
import { printable } from "../terminal-text.js";
import { probeCdiDir } from "./probe-cdi.js";
import { MAX_CAPTURE_BYTES, PROBE_SOURCES, type ProbeOutput, type ProbeSource, type RawHost } from "./raw-host.js";

/** The file names each source is read from, in order of preference. */
export const CAPTURE_FILES: Record<ProbeSource, string[]> = {
  "nvidia-smi-xml": ["nvidia-smi-q.xml"],
  "nvidia-smi-csv": ["query-gpu.csv"],
  "nvidia-smi-csv-noheader": ["query-gpu-noheader.csv"],
  "nvidia-smi-table": ["nvidia-smi.txt"],
  "nvidia-smi-text": ["nvidia-smi-q.txt"],
  "proc-driver-version": ["proc-driver-nvidia-version.txt", "host-info.txt"],
  nvcc: ["nvcc-version.txt", "host-info.txt"],
  uname: ["uname.txt", "host-info.txt"],
  "os-release": ["os-release", "os-release.txt"],
  "docker-info": ["docker-info.json"],
  "nvidia-ctk": ["nvidia-ctk-version.txt"],
  mokutil: ["mokutil.txt"],
  "podman-info": ["podman-info.json"],
  getenforce: ["getenforce.txt"],
  "selinux-enforce": ["selinux-enforce"],
  getsebool: ["getsebool.txt"],
  "podman-compose-provider": ["podman-compose-provider.txt"],
  "podman-compose-version": ["podman-compose-version.txt"],
};

const HINT = "Point it at a folder of saved outputs (nvidia-smi-q.xml, query-gpu.csv, nvidia-smi.txt, host-info.txt, …), each a regular file.";

function refuse(dir: string, name: string, read: ReadFailure, option: string): never {
  const why = read.kind === "too-large" ? `is larger than ${formatBytes(MAX_CAPTURE_BYTES)}; a saved output is far smaller` : read.reason;
  fail({ code: "invalid-value", message: `${option} ${printable(dir)}: ${printable(name)} ${why}, so it is not read.`, hint: HINT });
}

function readCapture(dir: string, names: string[], option: string): ProbeOutput {
  for (const name of names) {
    const read = readRegularFile(join(dir, name), { maxBytes: MAX_CAPTURE_BYTES, followLinks: true });
    if (read.ok) return { ok: true, text: read.text };
    if (read.kind === "absent") continue;
    if (read.kind === "special" || read.kind === "too-large") refuse(dir, name, read, option);
    return { ok: false, text: "", reason: `${name} ${read.reason}` };
  }
  return { ok: false, text: "", reason: `not captured (no ${names.join(" or ")})`, absent: "capture" };
}

async function assertFolder(dir: string, option: string): Promise<void> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) fail({ code: "invalid-value", message: `${option} ${printable(dir)}: not a folder.`, hint: HINT });
}

export async function probeDir(dir: string, option = "--from"): Promise<RawHost> {
  await assertFolder(dir, option);
  const entries = PROBE_SOURCES.map((source) => [source, readCapture(dir, CAPTURE_FILES[source], option)] as const);
  const raw: RawHost = { origin: "dir", outputs: Object.fromEntries(entries) };
  const cdi = probeCdiDir(dir, (path, read) => refuse(dir, path, read, option));
  if (cdi) raw.cdi = cdi;
  return raw;
}
