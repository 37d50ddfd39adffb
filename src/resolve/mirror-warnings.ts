// With --mirror <preset> (or a mirror file that extends one): the endpoints the stack's build
// fetches from that the mirror set leaves on their public host because the preset has no mirror
// for them (matrix/mirrors.yaml `none`), unless the preset says the host answers from its region
// anyway (`reach: reachable`). Each is a warning that names the host, why it may not answer there,
// and what works instead: a request that needs no such host (computed by resolving the
// alternatives the data offers), or the endpoint's build argument set to one's own mirror.
import type { Matrix } from "../matrix/data.js";
import type { Endpoint, MirrorPreset } from "../matrix/types.gen.js";
import { compare } from "../matrix/versions.js";
import { endpointOf } from "../mirrors/mirror-set.js";
import { buildUrls, endpointHost, osEndpoint, packageUrls, stackEndpoints } from "../mirrors/stack-endpoints.js";
import type { EndpointId } from "../mirrors/types.js";
import type { Request } from "../request/types.js";
import type { BasePlan, Build, Warning } from "./types.js";

type NoneRow = Extract<MirrorPreset["mirrors"][string], { none: string }>;

export interface Unreplaced {
  endpoint: Endpoint;
  row: NoneRow;
}

/** The preset a request's mirror set is measured against: the preset itself, or the one a mirror file extends. */
function presetOf(req: Request, m: Matrix): { name: string; preset: MirrorPreset } | null {
  const choice = req.mirror;
  const name = choice?.kind === "preset" ? choice.source : choice?.extends;
  const preset = name ? m.mirrors.presets[name] : undefined;
  return name && preset ? { name, preset } : null;
}

/** The stack's endpoints that stay on a public host its preset has no mirror for and does not know to answer. */
export function unreplacedEndpoints(m: Matrix, req: Request, builds: Build[], plan: BasePlan): Unreplaced[] {
  const found = presetOf(req, m);
  if (!found || !req.mirror) return [];
  return stackEndpoints(m, req, builds, plan).flatMap((id) => {
    const row = found.preset.mirrors[id];
    if (req.mirror!.endpoints[id] !== undefined || !row || !("none" in row) || row.reach === "reachable") return [];
    return [{ endpoint: m.mirrors.endpoints.find((e) => e.id === id)!, row }];
  });
}

/** A request to try instead, and how the user asks for it. */
export interface Alternative {
  req: Request;
  says: string;
  why: string;
}

/**
 * The requests to try instead of one that needs `id`, nearest first: for a framework's own index or
 * links, the other releases of that framework that have a build needing none of `avoid` (newer ones
 * first, the nearest first, then older ones: a newer release is the way forward, and old wheels
 * leave the package indexes); for the OS packages, the other OS releases whose packages the mirror
 * set serves (the same family first).
 */
export function alternativesFor(m: Matrix, req: Request, builds: Build[], plan: BasePlan, id: EndpointId, avoid: Set<EndpointId>): Alternative[] {
  const mirrorName = req.mirror?.source ?? "";
  const users = buildUrls(m, builds).filter((u) => u.endpoint.id === id);
  if (users.length) {
    const build = users[0]!.build;
    const k = req.specs.findIndex((s) => s.name === build.framework);
    const fw = build.framework === "cuda" ? undefined : m.frameworks[build.framework];
    if (k < 0 || !fw) return [];
    const clean = (b: Parameters<typeof packageUrls>[0]) =>
      packageUrls(b).every((url) => {
        const hit = url ? endpointOf(m, url) : null;
        return !hit || !avoid.has(hit.endpoint.id);
      });
    const releases = fw.releases.filter((r) => r.verified !== false && r.version !== build.version && r.builds.some(clean)).map((r) => r.version);
    const newer = releases.filter((v) => compare(v, build.version) > 0).sort(compare);
    const older = releases.filter((v) => compare(v, build.version) < 0).sort((a, b) => compare(b, a));
    return [...newer, ...older].map((version) => ({
      req: { ...req, specs: req.specs.map((s, i) => (i === k ? { ...s, range: version } : s)) },
      says: `${build.framework}@${version}`,
      why: `the nearest ${build.display} release whose build needs no host that --mirror ${mirrorName} leaves without a mirror`,
    }));
  }
  if (id !== osEndpoint(m, plan, req.platform)) return [];
  const served = (name: string) => {
    const os = m.platform.os.find((o) => o.name === name)!;
    const e = osEndpoint(m, { ...plan, os }, req.platform);
    return req.mirror?.endpoints[e] !== undefined;
  };
  // The data lists each family oldest first: the newest of the same family first, then the others'.
  const others = m.platform.os.filter((o) => o.name !== plan.os.name && served(o.name)).reverse();
  const ordered = [...others.filter((o) => o.family === plan.os.family), ...others.filter((o) => o.family !== plan.os.family)];
  return ordered.map((os) => ({
    req: { ...req, os: os.name },
    says: `--os ${os.name}`,
    why: `an OS whose packages --mirror ${mirrorName} mirrors`,
  }));
}

/**
 * The warnings. `firstThatWorks` resolves the alternatives in order and returns the first that
 * resolves to a stack with no endpoint left unreplaced (or null); the resolver passes it, so the
 * suggestion is one that resolves with the request's other options.
 */
export function mirrorWarnings(m: Matrix, req: Request, builds: Build[], plan: BasePlan, firstThatWorks: (alternatives: Alternative[]) => Alternative | null): Warning[] {
  const unreplaced = unreplacedEndpoints(m, req, builds, plan);
  if (!unreplaced.length) return [];
  const mirrorName = req.mirror!.source;
  const extendsName = req.mirror!.kind === "preset" ? req.mirror!.source : req.mirror!.extends!;
  const avoid = new Set(unreplaced.map((u) => u.endpoint.id));
  const urls = buildUrls(m, builds);
  return unreplaced.map(({ endpoint: e, row }) => {
    const host = endpointHost(e);
    const users = urls.filter((u) => u.endpoint.id === e.id);
    const needs = users.length
      ? users.map((u) => `${u.build.label} installs from ${u.url}`).join("; ")
      : `the build fetches ${e.what.replace(/ \([^)]*\)/g, "").replace(/^[^:]*: /, "")} from it`;
    const alternative = firstThatWorks(alternativesFor(m, req, builds, plan, e.id, avoid));
    const value = e.kind === "registry" ? "<host>[/path]" : "https://…";
    const instead = [
      alternative ? `${alternative.says} (${alternative.why})` : "",
      // uv's image is the one thing the build takes from the ghcr endpoint, and the preset may take uv from the package index instead.
      e.id === "ghcr" && m.mirrors.presets[extendsName]?.uv === "index" ? `uv: index in the mirror file (uv from the package index, as --mirror ${extendsName} has it)` : "",
      `your own mirror of ${e.upstream}${e.arg && e.kind === "url" ? `, as --build-arg ${e.arg}=https://… (or ${e.arg} in the compose project's .env) or` : ","} in a mirror file (extends: ${extendsName}, endpoints: ${e.id}: ${value})`,
    ].filter(Boolean);
    return {
      code: "no-mirror" as const,
      message: `${host} (${e.id}) has no mirror in --mirror ${mirrorName}, and ${needs}. ${row.reachWhy}; no public mirror of it is known (matrix/mirrors.yaml says why). What works: ${instead.join("; or ")}.`,
    };
  });
}
