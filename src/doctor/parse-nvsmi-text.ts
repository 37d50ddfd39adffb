// `nvidia-smi -q` plain text: "Key : value" lines nested by indentation, one "GPU <bus id>"
// block per GPU. Reads the same fields as the XML reader.
import type { GpuReport, NvsmiReport } from "./types.js";
import { failureReport, nvsmiFailure } from "./nvsmi-errors.js";
import { clean, isBusId, isCudaVersion, isDriverVersion, isGpuUuid, lines, parseMiB } from "./text-values.js";

const GPU_HEADER = /^GPU\s+([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7])\s*$/;
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/** "    Product Name      : NVIDIA H200" → key and value: the key ends at the first ":" that
 *  follows whitespace, as in `^\s*(\S.*?)\s+:\s?(.*)$`, found without backtracking. */
export function keyValue(line: string): { key: string; value: string } | undefined {
  const start = line.length - line.trimStart().length;
  for (let colon = line.indexOf(":", start + 1); colon >= 0; colon = line.indexOf(":", colon + 1)) {
    if (colon - 1 > start && isSpace(line[colon - 1])) {
      const rest = line.slice(colon + 1);
      return { key: line.slice(start, colon).trimEnd(), value: isSpace(rest[0]) ? rest.slice(1) : rest };
    }
  }
  return undefined;
}

/** Values by path ("Product Name", "PCI/Bus Id"), the first of each, before and within each GPU block. */
interface Blocks {
  top: Map<string, string>;
  gpus: { busId: string; values: Map<string, string> }[];
}

/** Section names and keys longer than this are nvidia-smi's never; their values are not kept. */
const MAX_NAME = 64;

/** Reads the indented "Key : value" tree. Only paths one section deep, of short names, are kept
 *  (all the fields read are), so a deep, wide or long-named tree costs time linear in its size. */
function blocks(text: string): Blocks {
  const out: Blocks = { top: new Map(), gpus: [] };
  let values = out.top;
  let stack: { indent: number; name: string }[] = [];
  for (const line of lines(text)) {
    const gpu = GPU_HEADER.exec(line);
    if (gpu) {
      values = new Map();
      out.gpus.push({ busId: gpu[1]!, values });
      stack = [];
      continue;
    }
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const kv = keyValue(line);
    if (!kv) stack.push({ indent, name: line.trim() });
    else if (stack.length <= 1 && kv.key.length <= MAX_NAME && (stack[0]?.name.length ?? 0) <= MAX_NAME) {
      const path = stack.length === 0 ? kv.key : `${stack[0]!.name}/${kv.key}`;
      if (!values.has(path)) values.set(path, kv.value);
    }
  }
  return out;
}

function gpuReport(index: number, busId: string, values: Map<string, string>): GpuReport {
  const get = (path: string) => clean(values.get(path));
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
  const { top: values, gpus: blocksByGpu } = blocks(text);
  const top = (key: string) => clean(values.get(key));
  const report: NvsmiReport = {};
  const driver = top("Driver Version");
  const cuda = top("CUDA Version");
  if (driver && isDriverVersion(driver)) report.driver = driver;
  if (cuda && isCudaVersion(cuda)) report.cuda = cuda;
  const gpus = blocksByGpu.map((g, i) => gpuReport(i, g.busId, g.values));
  if (gpus.length > 0 || top("Attached GPUs") === "0") report.gpus = gpus;
  return report;
}
