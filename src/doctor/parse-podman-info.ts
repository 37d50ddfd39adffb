// `podman info --format json`: the Podman version (version.Version), whether it ran rootless
// (host.security.rootless) and Podman's view of SELinux (host.security.selinuxEnabled). Field names
// from containers/podman libpod/define/info.go (Info, HostInfo, SecurityInfo; Version has no JSON
// tags, so its fields keep their Go names). A failure is "podman: command not found" or Podman's
// own "Error: …" line.
import type { PodmanFacts } from "./types.js";
import { capValue, commandNotFound, firstLine } from "./text-values.js";
import { jsonObject, objectAt, str } from "./json-object.js";

export type PodmanReport = Partial<PodmanFacts>;

const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);

export function parsePodmanInfo(text: string): PodmanReport {
  const json = jsonObject(text);
  if (json) {
    const version = str(objectAt(json.info, "version")["Version"]);
    if (!version) return { state: "error", error: capValue(firstLine(json.rest) || "podman info reported no version") };
    const security = objectAt(objectAt(json.info, "host"), "security");
    return { state: "installed", version, rootless: bool(security["rootless"]), selinuxEnabled: bool(security["selinuxEnabled"]) };
  }
  if (commandNotFound(text, "podman")) return { state: "not-installed", error: "podman: command not found" };
  const error = /^Error: .*$/m.exec(text)?.[0];
  return error ? { state: "error", error: capValue(error) } : {};
}
