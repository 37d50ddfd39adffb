// Podman, the CDI specs and SELinux, from what the probes gathered: Podman's state, each CDI
// spec compared with the loaded driver, and the SELinux mode with the container_use_devices
// boolean (which containers need to use /dev/nvidia* under enforcing SELinux).
import type { RawHost } from "./raw-host.js";
import type { Parsed } from "./parse-raw.js";
import { isNvidiaKind, parseCdiSpec } from "./parse-cdi-spec.js";
import { providerName } from "./parse-podman-compose.js";
import { compare } from "../matrix/versions.js";
import { matrix } from "../matrix/data.js";
import { tool } from "../matrix/lookup.js";
import type { CdiFacts, CdiSpecFacts, PodmanComposeFacts, PodmanFacts, SelinuxFacts } from "./types.js";

/** podman-compose expands `${X:-}` to an empty value from this release on (matrix/platform.yaml podmanComposeEmptyDefaultsSince). */
export const PODMAN_COMPOSE_EMPTY_DEFAULTS = tool(matrix, "podmanComposeEmptyDefaultsSince");
/** podman-compose passes userns_mode on from this release (matrix/platform.yaml podmanComposeUsernsModeSince). */
export const PODMAN_COMPOSE_USERNS_SINCE = tool(matrix, "podmanComposeUsernsModeSince");
/** The podman-compose releases from the first that makes a pod by default up to the first that reads x-podman in_pod. */
export const PODMAN_COMPOSE_POD_RELEASES = { from: tool(matrix, "podmanComposePodDefaultSince"), until: tool(matrix, "podmanComposeInPodKeySince") };

/** Whether podman-compose VERSION runs the generated file's services with their userns_mode (outside a pod). */
export function passesUsernsMode(version: string): boolean {
  const { from, until } = PODMAN_COMPOSE_POD_RELEASES;
  return compare(version, PODMAN_COMPOSE_USERNS_SINCE) >= 0 && !(compare(version, from) >= 0 && compare(version, until) < 0);
}

export function podmanFacts(raw: RawHost, parsed: Parsed): PodmanFacts {
  const facts: PodmanFacts = { state: "unknown", version: null, rootless: null, selinuxEnabled: null, compose: composeFacts(raw, parsed) };
  const out = raw.outputs["podman-info"];
  if (out?.absent === "tool") return { ...facts, state: "not-installed", error: out.reason ?? "podman: not found" };
  Object.assign(facts, parsed["podman-info"]);
  if (facts.state === "unknown" && out && !out.ok && out.absent !== "capture" && out.reason) return { ...facts, state: "error", error: out.reason };
  return facts;
}

/**
 * What `podman compose` would run (Podman's own answer, parse-podman-compose.ts) and podman-compose's
 * version. podman-compose passes a service's `devices:` to `podman run --device`, so CDI names work
 * in every release; docker-compose behind `podman compose` drops them without a word
 * (https://github.com/podman-container-tools/podman/issues/28436).
 */
function composeFacts(raw: RawHost, parsed: Parsed): PodmanComposeFacts {
  const said = parsed["podman-compose-provider"] ?? {};
  const pc = parsed["podman-compose-version"] ?? {};
  const providerPath = said.providerPath ?? null;
  const provider = providerPath === null ? null : providerName(providerPath);
  const installed = pc.installed ?? (raw.outputs["podman-compose-version"]?.absent === "tool" ? false : null);
  const version = pc.version ?? null;
  return {
    provider,
    providerPath,
    podmanCompose: said.supported ?? null,
    installed,
    version,
    honoursCdiDevices: provider === "podman-compose" ? true : provider === "docker-compose" ? false : null,
    expandsEmptyDefaults: version === null ? null : compare(version, PODMAN_COMPOSE_EMPTY_DEFAULTS) >= 0,
    passesUsernsMode: version === null ? null : passesUsernsMode(version),
  };
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
