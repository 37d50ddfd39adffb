// Compares NVIDIA's CUDA releases (redist manifests, and CUDA versions named by image tags) with
// matrix/cuda.yaml. Pure.
import { curatedCudaReleases } from "./collect-cuda.mjs";
import { REDIST_BASE } from "./nvidia-redist.mjs";
import { compareDotted, majorMinor } from "./versions.mjs";

/**
 * @param {any} cuda matrix/cuda.yaml
 * @param {{ listing: any, manifests: Record<string, any> }} up
 * @param {{ version: string, url: string }[]} tagged CUDA releases named by upstream image tag lists
 */
export function diffCuda(cuda, up, tagged, date) {
  const curated = curatedCudaReleases(cuda);
  const known = new Map(curated.map((r) => [r.version, r]));
  const minors = new Set(cuda.toolkits.map((t) => String(t.version)));
  const evidence = new Map();
  const add = (version, text, url) => {
    if (!evidence.has(version)) evidence.set(version, { details: [], sources: [] });
    const e = evidence.get(version);
    e.details.push(text);
    if (!e.sources.includes(url)) e.sources.push(url);
  };
  for (const v of up.listing.versions) if (!known.has(v)) add(v, `NVIDIA publishes redistrib_${v}.json`, up.listing.url);
  for (const t of tagged) if (!known.has(t.version)) add(t.version, `nvidia/cuda image tags exist for ${t.version}`, t.url);

  const out = [];
  for (const [version, e] of evidence) {
    const m = up.manifests[version];
    if (m?.status === "ok") {
      e.details.push(`manifest: release_date ${m.releaseDate ?? "?"}, cuda_cudart ${m.cudart ?? "?"}, cuda_nvcc ${m.nvcc ?? "?"}, platforms ${m.platforms.join(", ")}`);
      e.sources.push(m.url);
    }
    const minor = majorMinor(version);
    const isNewMinor = !minors.has(minor);
    out.push({
      group: "new-cuda",
      section: "cuda",
      key: `cuda ${version}`,
      title: isNewMinor ? `CUDA ${version}: a new toolkit minor (${minor}) that cuda.yaml does not list` : `CUDA ${version}: a new release of CUDA ${minor} that cuda.yaml does not list`,
      details: [...e.details, "the driver floor is not in any machine-readable source; take it from the release notes' driver table"],
      sources: e.sources,
      proposal: {
        file: "cuda.yaml",
        key: isNewMinor ? `new toolkit ${minor}: releases` : `toolkits[version=${minor}].releases`,
        row: {
          version,
          driver: null,
          ...(m?.status === "ok" && m.releaseDate ? { released: m.releaseDate.slice(0, 7) } : {}),
          source: m?.url ?? (up.listing.versions.includes(version) ? `${REDIST_BASE}redistrib_${version}.json` : e.sources[0]),
          note: `proposed by data:refresh on ${date}, review before merging; driver floor to be filled in from the release notes`,
        },
      },
    });
  }

  for (const [version, m] of Object.entries(up.manifests)) {
    const row = known.get(version);
    if (!row || m.status !== "ok" || !m.releaseDate || !row.released) continue;
    if (!m.releaseDate.startsWith(String(row.released))) {
      out.push({
        group: "disagreement",
        section: "cuda",
        key: `cuda ${version} released`,
        title: `CUDA ${version}: cuda.yaml says released ${row.released}, NVIDIA's manifest says ${m.releaseDate}`,
        details: [],
        sources: [m.url],
      });
    }
  }
  return out.sort((a, b) => compareDotted(a.key.split(" ")[1] ?? "0", b.key.split(" ")[1] ?? "0"));
}
