// Reads NVIDIA's CUDA redistributable index and the manifests the diff needs.
import { parseRedistListing, parseRedistManifest, REDIST_BASE } from "./nvidia-redist.mjs";
import { compareDotted, majorMinor } from "./versions.mjs";

export const MAX_NEW_MANIFESTS = 10;
export const CHECKED_GA_RELEASES = 4;

export function curatedCudaReleases(cuda) {
  return cuda.toolkits.flatMap((t) => t.releases.map((r) => ({ ...r, version: String(r.version), minor: String(t.version) })));
}

/** Manifests worth reading: releases the matrix lacks (newest first, bounded) and the first release of
 *  the newest minors the matrix has, whose dates are checked. */
export function planManifests(listed, curated) {
  const known = new Set(curated.map((r) => r.version));
  const fresh = listed.filter((v) => !known.has(v)).sort(compareDotted).reverse().slice(0, MAX_NEW_MANIFESTS);
  const firstOfMinor = new Map();
  for (const v of listed.filter((x) => known.has(x)).sort(compareDotted)) if (!firstOfMinor.has(majorMinor(v))) firstOfMinor.set(majorMinor(v), v);
  const checked = [...firstOfMinor.values()].sort(compareDotted).slice(-CHECKED_GA_RELEASES);
  return [...new Set([...fresh, ...checked])].sort(compareDotted);
}

export async function collectCuda(upstream, cuda) {
  const listingUrl = REDIST_BASE;
  const res = await upstream.get({ url: listingUrl, format: "html", accept: "text/html", purpose: "CUDA releases (redist index)" });
  const listing = { url: listingUrl, status: res.status, error: res.error, subset: res.meta?.subset ?? null, versions: [] };
  if (res.status === "ok") listing.versions = parseRedistListing(res.body ?? "");
  const manifests = {};
  await Promise.all(
    planManifests(listing.versions, curatedCudaReleases(cuda)).map(async (v) => {
      const url = `${REDIST_BASE}redistrib_${v}.json`;
      const m = await upstream.get({ url, format: "json", accept: "application/json", purpose: `CUDA ${v} manifest` });
      if (m.status !== "ok") {
        manifests[v] = { url, status: m.status, error: m.error };
        return;
      }
      try {
        const parsed = parseRedistManifest(JSON.parse(m.body ?? ""));
        manifests[v] = {
          url,
          status: "ok",
          releaseDate: parsed.releaseDate,
          releaseLabel: parsed.releaseLabel,
          cudart: parsed.components.cuda_cudart?.version ?? null,
          nvcc: parsed.components.cuda_nvcc?.version ?? null,
          platforms: [...new Set(Object.values(parsed.components).flatMap((c) => Object.keys(c.platforms)))].sort(),
        };
      } catch (err) {
        manifests[v] = { url, status: "error", error: `could not parse: ${err.message}` };
      }
    }),
  );
  return { listing, manifests };
}
