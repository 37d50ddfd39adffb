// `docker info --format '{{json .}}'`: server version, registered runtimes (is there an
// `nvidia` one?), CDI spec dirs and discovered CDI devices. Recognises the ways it fails: docker
// not installed, daemon not running, no permission on the socket (the CLI then prints JSON whose
// ServerErrors says so, or a plain message).
import type { DockerFacts, DockerState } from "./types.js";
import { capValue, commandNotFound, firstLine, MAX_LIST_LENGTH } from "./text-values.js";
import { jsonObject, str } from "./json-object.js";

export type DockerReport = Partial<DockerFacts>;

function failureState(message: string): DockerState {
  if (/Cannot connect to the Docker daemon|Is the docker daemon running|daemon is not running/i.test(message))
    return "not-running";
  if (/permission denied/i.test(message)) return "permission-denied";
  return "unknown";
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(0, MAX_LIST_LENGTH).map(capValue) : [];

function cdiDevices(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((d: unknown) => {
    const dev = d as { Source?: unknown; ID?: unknown } | null;
    return dev && dev.Source === "cdi" && typeof dev.ID === "string" ? [capValue(dev.ID)] : [];
  }).slice(0, MAX_LIST_LENGTH);
}

// Docker ≤ 27 puts the daemon's failure in ServerErrors; Docker 28 prints a zeroed object on
// stdout and the failure on stderr.
function fromInfo(info: Record<string, unknown>, rest: string): DockerReport {
  const errors = strings(info["ServerErrors"]);
  const serverVersion = str(info["ServerVersion"]);
  if (errors.length > 0 || !serverVersion) {
    const error = capValue(errors.join(" ") || firstLine(rest) || "docker info reported no server version");
    return { state: failureState(error), error };
  }
  const all = info["Runtimes"] && typeof info["Runtimes"] === "object" ? Object.keys(info["Runtimes"]) : [];
  const runtimes = all.sort().slice(0, MAX_LIST_LENGTH).map(capValue);
  return {
    state: "running",
    serverVersion,
    runtimes,
    defaultRuntime: str(info["DefaultRuntime"]),
    nvidiaRuntime: all.includes("nvidia"),
    cdiSpecDirs: strings(info["CDISpecDirs"]),
    cdiDevices: cdiDevices(info["DiscoveredDevices"]),
  };
}

export function parseDockerInfo(text: string): DockerReport {
  const json = jsonObject(text);
  if (json) return fromInfo(json.info, json.rest);
  if (commandNotFound(text, "docker")) return { state: "not-installed", error: "docker: command not found" };
  const line = firstLine(text);
  if (line === "") return {};
  const state = failureState(text);
  return state === "unknown" ? {} : { state, error: capValue(line) };
}
