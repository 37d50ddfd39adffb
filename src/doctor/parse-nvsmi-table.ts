// The plain `nvidia-smi` table, in both layouts (the 79-column one up to R520 and the 89-column
// one since): driver and CUDA versions from the banner, per GPU its index, name (which the table
// may truncate with "..."), bus id and memory total.
import type { GpuReport, NvsmiReport } from "./types.js";
import { failureReport, nvsmiFailure } from "./nvsmi-errors.js";
import { capValue, isCudaVersion, isDriverVersion, lines } from "./text-values.js";

// Rows are split on "|" and each cell is read with anchored patterns or plain string operations:
// no pattern here backtracks over a run of spaces, so a line of any length costs linear time.

// "|   0  NVIDIA H200                    On  |   00000000:00:06.0 Off |"
const PERSISTENCE = new Set(["On", "Off", "WDDM", "TCC", "N/A"]);
const BUS_ID = /^([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7])\b/;
// "|       0MiB / 143771MiB |" (the cell after the temperature and power one)
const MEMORY = /^\d+\s*MiB\s*\/\s*(\d+)\s*MiB$/;

const isSpace = (c: string | undefined) => c === " " || c === "\t";

/** "   0  NVIDIA H200       On  " → index, name, persistence mode; undefined for any other cell. */
function gpuCell(cell: string): { index: number; name: string } | undefined {
  const t = cell.trim();
  let i = 0;
  while (i < t.length && t[i]! >= "0" && t[i]! <= "9") i++;
  if (i === 0 || !isSpace(t[i])) return undefined;
  let j = t.length;
  while (j > i && !isSpace(t[j - 1])) j--;
  if (j <= i || !PERSISTENCE.has(t.slice(j))) return undefined;
  return { index: Number(t.slice(0, i)), name: capValue(t.slice(i, j).trim()) };
}

function gpuRow(row: string): GpuReport | undefined {
  if (!row.startsWith("|")) return undefined;
  const cells = row.split("|");
  const gpu = gpuCell(cells[1] ?? "");
  const busId = BUS_ID.exec((cells[2] ?? "").trimStart())?.[1];
  return gpu && busId ? { ...gpu, busId } : undefined;
}

function memoryMiB(row: string): string | undefined {
  for (const cell of row.split("|").slice(1, -1)) {
    const m = MEMORY.exec(cell.trim());
    if (m) return m[1];
  }
  return undefined;
}

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
    const gpu = gpuRow(row);
    if (!gpu) return;
    const memory = memoryMiB(rows[i + 1] ?? "");
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
