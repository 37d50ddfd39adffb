// `nvidia-smi -q` plain text: "Key : value" lines nested by indentation, one "GPU <bus id>"
// block per GPU. Reads the same fields as the XML reader.
import type { GpuReport, NvsmiReport } from "./types.js";
import { failureReport, nvsmiFailure } from "./nvsmi-errors.js";
import { clean, isBusId, isCudaVersion, isDriverVersion, isGpuUuid, lines, parseMiB } from "./text-values.js";

const GPU_HEADER = /^GPU\s+([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7])\s*$/;
const KEY_VALUE = /^(\s*)(\S.*?)\s+:\s?(.*)$/;

interface Entry {
  gpu: number; // -1 before the first GPU block
  path: string; // "PCI/Bus Id"
  value: string;
}

/** Flattens the text into (gpu, path, value) entries. */
function entries(text: string): { entries: Entry[]; busIds: string[] } {
  const out: Entry[] = [];
  const busIds: string[] = [];
  let stack: { indent: number; name: string }[] = [];
  for (const line of lines(text)) {
    const gpu = GPU_HEADER.exec(line);
    if (gpu) {
      busIds.push(gpu[1]!);
      stack = [];
      continue;
    }
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const kv = KEY_VALUE.exec(line);
    const names = stack.map((s) => s.name);
    if (kv) out.push({ gpu: busIds.length - 1, path: [...names, kv[2]!].join("/"), value: kv[3]! });
    else stack.push({ indent, name: line.trim() });
  }
  return { entries: out, busIds };
}

function gpuReport(index: number, busId: string, es: Entry[]): GpuReport {
  const get = (path: string) => clean(es.find((e) => e.path === path)?.value);
  const gpu: GpuReport = { index, busId };
  const name = get("Product Name");
  const uuid = get("GPU UUID");
  const architecture = get("Product Architecture");
  const memoryMiB = parseMiB(get("FB Memory Usage/Total"));
  const pciBusId = get("PCI/Bus Id");
  if (name) gpu.name = name;
  if (uuid && isGpuUuid(uuid)) gpu.uuid = uuid;
  if (architecture) gpu.architecture = architecture;
  if (memoryMiB !== undefined) gpu.memoryMiB = memoryMiB;
  if (pciBusId && isBusId(pciBusId)) gpu.busId = pciBusId;
  return gpu;
}

export function parseNvsmiText(text: string): NvsmiReport {
  const failure = nvsmiFailure(text);
  if (failure) return failureReport(failure);
  const { entries: es, busIds } = entries(text);
  const top = (key: string) => clean(es.find((e) => e.gpu === -1 && e.path === key)?.value);
  const report: NvsmiReport = {};
  const driver = top("Driver Version");
  const cuda = top("CUDA Version");
  if (driver && isDriverVersion(driver)) report.driver = driver;
  if (cuda && isCudaVersion(cuda)) report.cuda = cuda;
  const gpus = busIds.map((busId, i) => gpuReport(i, busId, es.filter((e) => e.gpu === i)));
  if (gpus.length > 0 || top("Attached GPUs") === "0") report.gpus = gpus;
  return report;
}
