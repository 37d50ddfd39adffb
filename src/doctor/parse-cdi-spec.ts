// A CDI spec file (YAML or JSON; the format is cncf-tags/container-device-interface specs-go,
// written by `nvidia-ctk cdi generate` and nvidia-cdi-refresh): its kind ("nvidia.com/gpu"),
// cdiVersion, the device names it defines, and the driver version it was generated for. NVIDIA's
// generator names that version twice: in the enable-cuda-compat hook
// (`--host-driver-version=580.95.05`, toolkit 1.18 and newer) and in the file names of the driver
// libraries it mounts (`/usr/lib64/libcuda.so.580.95.05`, every version); see
// NVIDIA/nvidia-container-toolkit cmd/nvidia-ctk/cdi/generate/generate_test.go.
// The file is scanned line by line with anchored patterns, not parsed: a spec only needs these
// few top-level values, and a scan costs linear time whatever the file holds.
import { capValue, isDriverVersion, MAX_LIST_LENGTH } from "./text-values.js";

export interface CdiSpecReport {
  kind?: string;
  cdiVersion?: string;
  devices: string[];
  driverVersions: string[];
}

const YAML_KEY = (key: string) => new RegExp(`^${key}:[ \\t]*["']?([^"'\\s#]+)`, "m");
const JSON_KEY = (key: string) => new RegExp(`"${key}"[ \\t]*:[ \\t]*"([^"\\n]{1,256})"`);
const YAML_DEVICE = /^[ \t]*-[ \t]+name:[ \t]*["']?([^"'\s#]+)/gm;
const JSON_DEVICE = /"name"[ \t]*:[ \t]*"([^"\n]{1,256})"/g;
const HOST_DRIVER = /--host-driver-version=(\d{2,4}\.\d{1,3}(?:\.\d{1,3})?)/g;
const LIBRARY = /lib(?:cuda|nvidia-ml)\.so\.(\d{2,4}\.\d{1,3}(?:\.\d{1,3})?)(?![\d.])/g;

function topLevel(text: string, key: string): string | undefined {
  const m = YAML_KEY(key).exec(text) ?? JSON_KEY(key).exec(text);
  return m ? capValue(m[1]!) : undefined;
}

const all = (re: RegExp, text: string): string[] => [...text.matchAll(re)].map((m) => m[1]!);

function unique(values: string[]): string[] {
  return [...new Set(values)].slice(0, MAX_LIST_LENGTH);
}

export function parseCdiSpec(text: string): CdiSpecReport {
  const report: CdiSpecReport = {
    devices: unique([...all(YAML_DEVICE, text), ...all(JSON_DEVICE, text)].map(capValue)),
    driverVersions: unique([...all(HOST_DRIVER, text), ...all(LIBRARY, text)].filter(isDriverVersion)),
  };
  const kind = topLevel(text, "kind");
  const cdiVersion = topLevel(text, "cdiVersion");
  if (kind) report.kind = kind;
  if (cdiVersion) report.cdiVersion = cdiVersion;
  return report;
}

/** The specs the NVIDIA Container Toolkit writes: kind nvidia.com/gpu (and other nvidia.com classes). */
export const isNvidiaKind = (kind: string | undefined | null): boolean => !!kind && kind.startsWith("nvidia.com/");
