// NVIDIA's CUDA redistributable manifests (https://developer.download.nvidia.com/compute/cuda/redist/).
// The folder's index page links one redistrib_<X.Y.Z>.json per CUDA release; each manifest is
//   {"release_date": "YYYY-MM-DD", "release_label": "X.Y.Z", "release_product": "cuda",
//    "<component>": {"name", "license", "license_path", "version",
//                    "<platform>": {"relative_path", "sha256", "md5", "size"}, ...}, ...}
// with platforms linux-x86_64, linux-sbsa, linux-aarch64, windows-x86_64 (sizes are JSON strings).
// Format described in NVIDIA's "Tarballs and Zip Archive Deliverables" section of the CUDA
// installation guide (https://docs.nvidia.com/cuda/cuda-installation-guide-linux/#tarballs-and-zip-archive-deliverables).
import { compareDotted } from "./wheel-filename.mjs";

export const REDIST_BASE = "https://developer.download.nvidia.com/compute/cuda/redist/";

/** CUDA releases named by the index page's links, oldest first. */
export function parseRedistListing(html) {
  const found = new Set();
  for (const m of html.matchAll(/href\s*=\s*["']?(?:[^"'\s>]*\/)?redistrib_(\d+\.\d+\.\d+)\.json["'\s>]/gi)) found.add(m[1]);
  return [...found].sort(compareDotted);
}

const PLATFORMS = ["linux-x86_64", "linux-sbsa", "linux-aarch64", "windows-x86_64"];

/** @returns {{ releaseDate: string | null, releaseLabel: string | null, releaseProduct: string | null,
 *   components: Record<string, { name: string | null, version: string | null, license: string | null,
 *     platforms: Record<string, { relativePath: string, sha256: string | null, md5: string | null, size: number | null }> }> }} */
export function parseRedistManifest(doc) {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new Error("not a redistrib manifest: not an object");
  const components = {};
  for (const [key, value] of Object.entries(doc)) {
    if (!value || typeof value !== "object") continue; // release_* strings sit beside the components
    const platforms = {};
    for (const p of PLATFORMS) {
      const entry = value[p];
      if (entry && typeof entry === "object" && typeof entry.relative_path === "string") {
        platforms[p] = { relativePath: entry.relative_path, sha256: entry.sha256 ?? null, md5: entry.md5 ?? null, size: entry.size == null ? null : Number(entry.size) };
      }
    }
    components[key] = { name: value.name ?? null, version: value.version ?? null, license: value.license ?? null, platforms };
  }
  return {
    releaseDate: typeof doc.release_date === "string" ? doc.release_date : null,
    releaseLabel: typeof doc.release_label === "string" ? doc.release_label : null,
    releaseProduct: typeof doc.release_product === "string" ? doc.release_product : null,
    components,
  };
}
