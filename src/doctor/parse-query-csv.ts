// `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]`. With a header, columns are read
// by name in any order; without one, each cell is recognised by its shape (a driver version, a
// compute capability, a bus id, …), so any column order works there too.
import type { GpuReport, NvsmiReport } from "./types.js";
import { failureReport, nvsmiFailure } from "./nvsmi-errors.js";
import { clean, isBusId, isComputeCap, isDriverVersion, isGpuUuid, lines, parseMiB } from "./text-values.js";

type Field = "index" | "name" | "driver" | "computeCapability" | "memoryMiB" | "busId" | "uuid";

const HEADER_FIELDS: Record<string, Field> = {
  index: "index",
  name: "name",
  gpu_name: "name",
  driver_version: "driver",
  compute_cap: "computeCapability",
  "memory.total": "memoryMiB",
  "pci.bus_id": "busId",
  gpu_bus_id: "busId",
  uuid: "uuid",
  gpu_uuid: "uuid",
};

const splitRow = (line: string): string[] => line.split(",").map((c) => c.trim());

/** "memory.total [MiB]" → "memory.total" (string operations: no pattern to backtrack over spaces). */
function headerName(cell: string): string {
  const bracket = cell.indexOf("[");
  const name = bracket >= 0 && cell.endsWith("]") ? cell.slice(0, bracket).trimEnd() : cell;
  return name.toLowerCase();
}

function isHeader(cells: string[]): boolean {
  const looksLikeNames = cells.every((c) => /^[a-z][a-z0-9_.]*(\s*\[[^\]]*\])?$/.test(c));
  return looksLikeNames && cells.some((c) => headerName(c) in HEADER_FIELDS);
}

function fieldByShape(cell: string): Field {
  if (/^\d+$/.test(cell)) return "index";
  if (isComputeCap(cell)) return "computeCapability";
  if (isDriverVersion(cell)) return "driver";
  if (isBusId(cell)) return "busId";
  if (isGpuUuid(cell)) return "uuid";
  if (/^\d+(\.\d+)?\s*(MiB|GiB)$/i.test(cell)) return "memoryMiB";
  return "name";
}

function setField(gpu: GpuReport & { driver?: string }, field: Field, raw: string): void {
  const v = clean(raw);
  if (v === undefined) return;
  if (field === "index" && /^\d+$/.test(v)) gpu.index = Number(v);
  else if (field === "memoryMiB") {
    const mib = parseMiB(v);
    if (mib !== undefined) gpu.memoryMiB = mib;
  } else if (field === "computeCapability" && isComputeCap(v)) gpu.computeCapability = v;
  else if (field === "driver" && isDriverVersion(v)) gpu.driver = v;
  else if (field === "busId" && isBusId(v)) gpu.busId = v;
  else if (field === "uuid" && isGpuUuid(v)) gpu.uuid = v;
  else if (field === "name") gpu.name = v;
}

function toReport(rows: (GpuReport & { driver?: string })[]): NvsmiReport {
  const report: NvsmiReport = { gpus: [] };
  for (const { driver, ...gpu } of rows) {
    if (driver && !report.driver) report.driver = driver;
    report.gpus!.push(gpu);
  }
  return report;
}

const GPU_NAME = /^(NVIDIA|Tesla|Quadro|GeForce|TITAN|GRID|[A-Z]\d{1,3}\b)/;

/** Without a header, a row is a GPU only if its cells look like one: at most one free-text cell
 *  (the name), and either a recognised value (not just a number) or a name that looks like a GPU's. */
function plausibleRow(fields: Field[], cells: string[]): boolean {
  const names = fields.flatMap((f, i) => (f === "name" ? [cells[i]!] : []));
  if (names.length > 1) return false;
  const strong = fields.some((f) => f !== "name" && f !== "index");
  return strong || GPU_NAME.test(names[0] ?? "");
}

function readRow(cells: string[], fields: (Field | undefined)[]): GpuReport & { driver?: string } {
  const gpu: GpuReport & { driver?: string } = {};
  cells.forEach((cell, i) => {
    const field = fields[i];
    if (field) setField(gpu, field, cell);
  });
  return gpu;
}

export function parseQueryCsv(text: string): NvsmiReport {
  const failure = nvsmiFailure(text);
  if (failure) return failureReport(failure);
  const rows = lines(text).filter((l) => l.trim() !== "").map(splitRow);
  const header = rows[0] && isHeader(rows[0]) ? rows.shift()!.map((c) => HEADER_FIELDS[headerName(c)]) : undefined;
  const gpus = rows.flatMap((cells) => {
    if (header) return [readRow(cells, header)];
    const fields = cells.map(fieldByShape);
    return plausibleRow(fields, cells) ? [readRow(cells, fields)] : [];
  });
  const useful = gpus.filter((g) => Object.keys(g).length > 0);
  return useful.length === 0 ? {} : toReport(useful);
}
