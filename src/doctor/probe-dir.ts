// Reads saved outputs from a folder laid out like ../shared/real-hosts/h200-driver580/. Any
// subset of the files may be present; a missing file is recorded as not captured. host-info.txt
// (`cat /proc/driver/nvidia/version; nvcc --version; uname -a`) feeds three sources.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fail } from "../errors.js";
import { PROBE_SOURCES, type ProbeOutput, type ProbeSource, type RawHost } from "./raw-host.js";

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
};

async function readCapture(dir: string, names: string[]): Promise<ProbeOutput> {
  for (const name of names) {
    try {
      return { ok: true, text: await readFile(join(dir, name), "utf8") };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") return { ok: false, text: "", reason: `${name}: ${(err as Error).message}` };
    }
  }
  return { ok: false, text: "", reason: `not captured (no ${names.join(" or ")})`, absent: "capture" };
}

async function assertFolder(dir: string): Promise<void> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    fail({
      code: "invalid-value",
      message: `--from ${dir}: not a folder`,
      hint: "point --from at a folder of saved outputs (nvidia-smi-q.xml, query-gpu.csv, nvidia-smi.txt, host-info.txt, …)",
    });
  }
}

export async function probeDir(dir: string): Promise<RawHost> {
  await assertFolder(dir);
  const entries = await Promise.all(
    PROBE_SOURCES.map(async (source) => [source, await readCapture(dir, CAPTURE_FILES[source])] as const),
  );
  return { origin: "dir", outputs: Object.fromEntries(entries) };
}
