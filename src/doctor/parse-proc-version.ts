// /proc/driver/nvidia/version: the loaded kernel module's version, and whether it is the open
// ("NVIDIA UNIX Open Kernel Module for x86_64") or the proprietary ("NVIDIA UNIX x86_64 Kernel
// Module") flavour. The text may be embedded in a larger capture (host-info.txt).
import { isDriverVersion } from "./text-values.js";

export interface ProcVersionReport {
  driver?: string;
  kernelModule?: "open" | "proprietary";
  error?: string;
}

const NVRM = /NVRM version:\s*NVIDIA UNIX\s+(Open Kernel Module for \S+|\S+ Kernel Module)\s+(\d+\.\d+(?:\.\d+)?)/;

export function parseProcVersion(text: string): ProcVersionReport {
  const m = NVRM.exec(text);
  if (!m) {
    const absent = /\/proc\/driver\/nvidia\/version: No such file or directory/.test(text);
    return absent ? { error: "/proc/driver/nvidia/version is absent: the NVIDIA kernel module is not loaded" } : {};
  }
  const report: ProcVersionReport = { kernelModule: m[1]!.startsWith("Open") ? "open" : "proprietary" };
  if (isDriverVersion(m[2]!)) report.driver = m[2]!;
  return report;
}
