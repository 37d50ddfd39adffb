// Podman, the CDI specs and SELinux, from what the probes gathered: Podman's state, each CDI
// spec compared with the loaded driver, and the SELinux mode with the container_use_devices
// boolean (which containers need to use /dev/nvidia* under enforcing SELinux).
import type { RawHost } from "./raw-host.js";
import type { Parsed } from "./parse-raw.js";
import { isNvidiaKind, parseCdiSpec } from "./parse-cdi-spec.js";
import type { CdiFacts, CdiSpecFacts, PodmanFacts, SelinuxFacts } from "./types.js";

export function podmanFacts(raw: RawHost, parsed: Parsed): PodmanFacts {
  const facts: PodmanFacts = { state: "unknown", version: null, rootless: null, selinuxEnabled: null };
  const out = raw.outputs["podman-info"];
  if (out?.absent === "tool") return { ...facts, state: "not-installed", error: out.reason ?? "podman: not found" };
  Object.assign(facts, parsed["podman-info"]);
  if (facts.state === "unknown" && out && !out.ok && out.absent !== "capture" && out.reason) return { ...facts, state: "error", error: out.reason };
  return facts;
}

/**
 * `driver`: the loaded driver (the kernel module's version, else nvidia-smi's). A spec is stale
 * when it names a driver version other than that one: its mounts then point at library files the
 * driver update removed.
 */
export function cdiFacts(raw: RawHost, driver: string | null): CdiFacts {
  if (!raw.cdi) return { checked: false, driver, specs: [], problems: [] };
  const specs = raw.cdi.files.map((f): CdiSpecFacts => {
    const spec = parseCdiSpec(f.text);
    const judged = driver !== null && isNvidiaKind(spec.kind) && spec.driverVersions.length > 0;
    return {
      path: `${f.dir}/${f.name}`,
      kind: spec.kind ?? null,
      cdiVersion: spec.cdiVersion ?? null,
      driverVersions: spec.driverVersions,
      devices: spec.devices,
      stale: judged ? spec.driverVersions.some((v) => v !== driver) : null,
    };
  });
  return { checked: true, driver, specs, problems: raw.cdi.problems };
}

/** getenforce first, then /sys/fs/selinux/enforce; on a live host where neither exists SELinux is off. */
export function selinuxFacts(raw: RawHost, parsed: Parsed): SelinuxFacts {
  const sebool = parsed.getsebool;
  const mode =
    parsed.getenforce?.mode ??
    parsed["selinux-enforce"]?.mode ??
    (raw.origin === "host" && raw.outputs["selinux-enforce"]?.absent === "tool" ? "disabled" : null) ??
    (sebool?.disabled ? "disabled" : null);
  const facts: SelinuxFacts = { mode, containerUseDevices: sebool?.containerUseDevices ?? null };
  if (sebool?.error) facts.error = sebool.error;
  return facts;
}
