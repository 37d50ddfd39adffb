// One parser per probe source; runs each over what the probes gathered.
import type { RawHost, ProbeSource } from "./raw-host.js";
import { parseDockerInfo } from "./parse-docker-info.js";
import { parseMokutil } from "./parse-mokutil.js";
import { parseNvcc } from "./parse-nvcc.js";
import { parseNvidiaCtk } from "./parse-nvidia-ctk.js";
import { parseNvsmiTable } from "./parse-nvsmi-table.js";
import { parseNvsmiText } from "./parse-nvsmi-text.js";
import { parseNvsmiXml } from "./parse-nvsmi-xml.js";
import { parseOsRelease } from "./parse-os-release.js";
import { parseProcVersion } from "./parse-proc-version.js";
import { parseQueryCsv } from "./parse-query-csv.js";
import { parseUname } from "./parse-uname.js";
import { parsePodmanInfo } from "./parse-podman-info.js";
import { parseGetenforce, parseGetsebool, parseSelinuxEnforce } from "./parse-selinux.js";
import { parseComposeProvider, parsePodmanComposeVersion } from "./parse-podman-compose.js";

export const PARSERS = {
  "nvidia-smi-xml": parseNvsmiXml,
  "nvidia-smi-csv": parseQueryCsv,
  "nvidia-smi-csv-noheader": parseQueryCsv,
  "nvidia-smi-table": parseNvsmiTable,
  "nvidia-smi-text": parseNvsmiText,
  "proc-driver-version": parseProcVersion,
  nvcc: parseNvcc,
  uname: parseUname,
  "os-release": parseOsRelease,
  "docker-info": parseDockerInfo,
  "nvidia-ctk": parseNvidiaCtk,
  mokutil: parseMokutil,
  "podman-info": parsePodmanInfo,
  getenforce: parseGetenforce,
  "selinux-enforce": parseSelinuxEnforce,
  getsebool: parseGetsebool,
  "podman-compose-provider": parseComposeProvider,
  "podman-compose-version": parsePodmanComposeVersion,
} satisfies Record<ProbeSource, (text: string) => object>;

export type Parsed = { [S in ProbeSource]?: ReturnType<(typeof PARSERS)[S]> };

/** Parses every output that has text; sources with none (not captured, tool absent) stay out. */
export function parseRaw(raw: RawHost): Parsed {
  const parsed: Record<string, object> = {};
  for (const [source, out] of Object.entries(raw.outputs) as [ProbeSource, { text: string }][]) {
    if (out.text.trim() !== "") parsed[source] = PARSERS[source](out.text);
  }
  return parsed as Parsed;
}
