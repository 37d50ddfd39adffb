// `nvidia-smi -q -x`: driver and CUDA versions, and per GPU its name, architecture, memory, bus id,
// UUID and NVLink fabric state. Compute capability only where the XML carries it (no driver up to 580 does; newer
// ones might, as <compute_cap> or <cuda_compute_capability>).
import type { GpuReport, NvsmiReport } from "./types.js";
import { failureReport, nvsmiFailure } from "./nvsmi-errors.js";
import { clean, isBusId, isComputeCap, isCudaVersion, isDriverVersion, isGpuUuid, parseMiB } from "./text-values.js";
import { at, childrenNamed, parseXml, textAt, type XmlElement } from "./xml-lite.js";

const COMPUTE_CAP_PATHS = ["compute_cap", "cuda_compute_capability", "compute_capability"];

function computeCap(gpu: XmlElement): string | undefined {
  for (const path of COMPUTE_CAP_PATHS) {
    const el = at(gpu, path);
    const major = clean(textAt(el, "major"));
    const minor = clean(textAt(el, "minor"));
    const v = major !== undefined && minor !== undefined ? `${major}.${minor}` : clean(el?.text);
    if (v !== undefined && isComputeCap(v)) return v;
  }
  return undefined;
}

function gpuReport(gpu: XmlElement, index: number): GpuReport {
  const r: GpuReport = { index };
  const name = clean(textAt(gpu, "product_name"));
  const busId = clean(textAt(gpu, "pci/pci_bus_id")) ?? clean(gpu.attrs["id"]);
  const uuid = clean(textAt(gpu, "uuid"));
  const architecture = clean(textAt(gpu, "product_architecture"));
  const memoryMiB = parseMiB(textAt(gpu, "fb_memory_usage/total"));
  const cc = computeCap(gpu);
  const fabricState = clean(textAt(gpu, "fabric/state"));
  if (name) r.name = name;
  if (cc) r.computeCapability = cc;
  if (memoryMiB !== undefined) r.memoryMiB = memoryMiB;
  if (busId && isBusId(busId)) r.busId = busId;
  if (uuid && isGpuUuid(uuid)) r.uuid = uuid;
  if (architecture) r.architecture = architecture;
  if (fabricState) r.fabricState = fabricState;
  return r;
}

export function parseNvsmiXml(text: string): NvsmiReport {
  const log = childrenNamed(parseXml(text), "nvidia_smi_log")[0];
  if (!log) {
    const failure = nvsmiFailure(text);
    return failure ? failureReport(failure) : {};
  }
  const report: NvsmiReport = {};
  const driver = clean(textAt(log, "driver_version"));
  const cuda = clean(textAt(log, "cuda_version"));
  if (driver && isDriverVersion(driver)) report.driver = driver;
  if (cuda && isCudaVersion(cuda)) report.cuda = cuda;
  const gpus = childrenNamed(log, "gpu").map(gpuReport);
  // An empty list is evidence of "no GPUs" only when the log says so (not when it was cut short).
  if (gpus.length > 0 || clean(textAt(log, "attached_gpus")) === "0") report.gpus = gpus;
  return report;
}
