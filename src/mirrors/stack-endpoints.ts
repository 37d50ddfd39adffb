// The endpoints one stack's image fetches from while it builds: what the Dockerfile's build
// arguments switch (sources-view) and what a mirror set is checked against (resolve's
// mirror-warnings). Pure: (Request, builds, plan, Matrix) -> endpoint ids in the data's order.
import type { Matrix } from "../matrix/data.js";
import type { Endpoint } from "../matrix/types.gen.js";
import type { Request } from "../request/types.js";
import type { BasePlan, Build } from "../resolve/types.js";
import { endpointOf } from "./mirror-set.js";
import type { EndpointId } from "./types.js";

/**
 * The endpoint of the OS packages: for Ubuntu the archive of the request's platform, from
 * matrix/arm64.yaml `repos` ("Ubuntu's own archive": the main archive on amd64, the ports
 * archive on arm64); Rocky's or Red Hat's otherwise (their architecture is a folder below the prefix).
 */
export function osEndpoint(m: Matrix, plan: BasePlan, platform: Request["platform"]): EndpointId {
  if (plan.os.family !== "debian") return plan.os.name.startsWith("rocky") ? "rocky" : "ubi";
  const row = m.arm64.repos.find((r) => r.what.startsWith("Ubuntu"));
  const url = platform === "linux/arm64" ? row?.arm64 : row?.amd64;
  const hit = url ? endpointOf(m, url) : null;
  if (!hit) throw new Error(`matrix/arm64.yaml: Ubuntu's archive for ${platform ?? "linux/amd64"} (${url}) is served by no endpoint of matrix/mirrors.yaml`);
  return hit.endpoint.id;
}

/** The URLs a build's packages come from: its indexes and links page, and the folders of the wheels it installs by URL. */
export function packageUrls(b: { indexUrl?: string; extraIndexUrl?: string; findLinks?: string; packages: { wheel?: string }[] }): string[] {
  const folders = b.packages.flatMap((p) => (p.wheel ? [p.wheel.slice(0, p.wheel.lastIndexOf("/") + 1)] : []));
  return [b.indexUrl, b.extraIndexUrl, b.findLinks, ...new Set(folders)].filter((u): u is string => !!u);
}

/** The framework builds' package URLs, each with the endpoint that serves it. */
export function buildUrls(m: Matrix, builds: Build[]): { build: Build; url: string; endpoint: Endpoint }[] {
  return builds.flatMap((build) =>
    packageUrls({ ...build.pip, packages: build.packages }).flatMap((url) => {
      const hit = url ? endpointOf(m, url) : null;
      return hit?.endpoint.arg ? [{ build, url: url!, endpoint: hit.endpoint }] : [];
    }),
  );
}

/** Every endpoint the image's build fetches from, in matrix/mirrors.yaml's order. */
export function stackEndpoints(m: Matrix, req: Request, builds: Build[], plan: BasePlan): EndpointId[] {
  const uv = plan.python.source === "uv";
  const ids = new Set<EndpointId>(["docker-hub", "pypi"]);
  if (uv && req.mirror?.uv !== "index") ids.add("ghcr");
  if (uv) ids.add("python-builds");
  for (const u of buildUrls(m, builds)) ids.add(u.endpoint.id);
  ids.add(osEndpoint(m, plan, req.platform));
  ids.add("cuda-repo");
  if (plan.base.downloads.length) ids.add("nvidia-ml-repo");
  return m.mirrors.endpoints.map((e) => e.id).filter((id) => ids.has(id));
}

/** The host an endpoint's public prefix names (the part before the first slash, without the scheme). */
export function endpointHost(e: Endpoint): string {
  return e.upstream.replace(/^https?:\/\//, "").split("/")[0]!;
}

/**
 * An extended regular expression (sed -E, `#` as the delimiter) for the endpoint's public prefix in
 * every spelling the data gives it (`upstream` and `also`); test/mirror-data.test.ts shows Ubuntu's.
 */
export function prefixPattern(e: Endpoint): string {
  const spellings = [e.upstream, ...(e.also ?? [])];
  const schemes = [...new Set(spellings.map((s) => /^(https?):\/\//.exec(s)?.[1] ?? ""))];
  const rests = [...new Set(spellings.map((s) => s.replace(/^https?:\/\//, "")))];
  const escape = (s: string) => s.replace(/[.[\]()*+?^$|\\{}]/g, "\\$&");
  const scheme = schemes.length === 2 ? "https?://" : schemes[0] ? `${schemes[0]}://` : "";
  if (rests.length === 1) return `${scheme}${escape(rests[0]!)}`;
  // Spellings that differ only in their first label (a.example/p, b.example/p) -> (a|b)\.example/p
  const tails = new Set(rests.map((r) => r.slice(r.indexOf("."))));
  if (tails.size === 1 && rests.every((r) => /^[a-z0-9-]+\./.test(r))) return `${scheme}(${rests.map((r) => escape(r.slice(0, r.indexOf(".")))).join("|")})${escape([...tails][0]!)}`;
  return `${scheme}(${rests.map(escape).join("|")})`;
}
