// The endpoints one render uses: each one's effective value (the mirror chosen, else the public
// default) and the build argument that switches it. Pure.
import type { Matrix } from "../matrix/data.js";
import type { Endpoint } from "../matrix/types.gen.js";
import type { EndpointId, MirrorChoice } from "./types.js";

export interface MirrorSet {
  choice: MirrorChoice | null;
  endpoint(id: EndpointId): Endpoint;
  /** the mirror, else the public default ("" for an endpoint the image's own sources serve) */
  value(id: EndpointId): string;
  /** where the generated files name the public host itself (a registry prefix, or a URL) */
  public(id: EndpointId): string;
  mirrored(id: EndpointId): boolean;
}

export function mirrorSet(m: Matrix, choice: MirrorChoice | null | undefined): MirrorSet {
  const byId = new Map(m.mirrors.endpoints.map((e) => [e.id, e]));
  const endpoint = (id: EndpointId) => {
    const e = byId.get(id);
    if (!e) throw new Error(`matrix/mirrors.yaml has no endpoint "${id}"`);
    return e;
  };
  const mirror = (id: EndpointId) => choice?.endpoints[id];
  return {
    choice: choice ?? null,
    endpoint,
    value: (id) => mirror(id) ?? endpoint(id).default,
    public: (id) => endpoint(id).upstream,
    mirrored: (id) => mirror(id) !== undefined,
  };
}

/** A URL from the data split into the endpoint it starts with and the rest, or null (no endpoint serves it). */
export function endpointOf(m: Matrix, url: string): { endpoint: Endpoint; rest: string } | null {
  for (const e of m.mirrors.endpoints) {
    if (e.kind !== "url") continue;
    for (const prefix of [e.upstream, ...(e.also ?? [])]) {
      if (url === prefix || url.startsWith(`${prefix}/`)) return { endpoint: e, rest: url.slice(prefix.length) };
    }
  }
  return null;
}

/** `${ARG:-default}`: empty or unset means the default (the Dev Containers CLI passes an unset argument as ""). */
export function argRef(e: Endpoint, value: string): string {
  return `\${${e.arg}:-${value}}`;
}

/**
 * A URL the Dockerfile fetches, as a build-argument expansion when an endpoint serves it: for a
 * Dockerfile instruction (ADD) as is, for a RUN line in double quotes. Also the URL the build
 * fetches by default, for comments.
 */
export function switchable(m: Matrix, ms: MirrorSet, url: string): { dockerfile: string; shell: string; effective: string; arg: string | null } {
  const hit = endpointOf(m, url);
  if (!hit || !hit.endpoint.arg || hit.endpoint.default === "") return { dockerfile: url, shell: url, effective: url, arg: null };
  const value = ms.value(hit.endpoint.id);
  const ref = `${argRef(hit.endpoint, value)}${hit.rest}`;
  return { dockerfile: ref, shell: `"${ref}"`, effective: `${value}${hit.rest}`, arg: hit.endpoint.arg };
}
