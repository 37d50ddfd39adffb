// The plain `nvidia-smi` table, in both layouts (the 79-column one up to R520 and the 89-column
// one since): driver and CUDA versions from the banner, per GPU its index, name (which the table
// may truncate with "..."), bus id and memory total.
import type { GpuReport, NvsmiReport } from "./types.js";
import { failureReport, nvsmiFailure } from "./nvsmi-errors.js";
import { isCudaVersion, isDriverVersion, lines } from "./text-values.js";

// "|   0  NVIDIA H200                    On  |   00000000:00:06.0 Off |"
const GPU_ROW =
  /^\|\s*(\d+)\s+(.*?)\s+(On|Off|WDDM|TCC|N\/A)\s*\|\s*([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7])\b/;
// "| N/A   34C    P0    122W /  700W |       0MiB / 143771MiB |"
const MEMORY = /\|\s*\d+\s*MiB\s*\/\s*(\d+)\s*MiB\s*\|/;

function banner(text: string): Pick<NvsmiReport, "driver" | "cuda"> {
  const out: Pick<NvsmiReport, "driver" | "cuda"> = {};
  const driver = /Driver Version:\s*([\d.]+)/.exec(text)?.[1];
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(text)?.[1];
  if (driver && isDriverVersion(driver)) out.driver = driver;
  if (cuda && isCudaVersion(cuda)) out.cuda = cuda;
  return out;
}

function gpuRows(rows: string[]): GpuReport[] {
  const gpus: GpuReport[] = [];
  rows.forEach((row, i) => {
    const m = GPU_ROW.exec(row);
    if (!m) return;
    const gpu: GpuReport = { index: Number(m[1]), name: m[2]!.trim(), busId: m[4]! };
    const memory = MEMORY.exec(rows[i + 1] ?? "")?.[1];
    if (memory) gpu.memoryMiB = Number(memory);
    gpus.push(gpu);
  });
  return gpus;
}

export function parseNvsmiTable(text: string): NvsmiReport {
  const failure = nvsmiFailure(text);
  if (failure) return failureReport(failure);
  const report: NvsmiReport = banner(text);
  const gpus = gpuRows(lines(text));
  // The table always lists GPUs under its banner; without a banner, an empty list proves nothing.
  if (gpus.length > 0 || report.driver) report.gpus = gpus;
  return report;
}
