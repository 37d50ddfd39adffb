// PyPI's JSON API, "Get a release" (https://docs.pypi.org/api/json/#get-a-release):
//   GET https://pypi.org/pypi/<project>/<version>/json
//   → {info: {name, version, classifiers[], requires_dist[] | null, requires_python, ...},
//      last_serial, urls: [{filename, packagetype, upload_time_iso_8601, yanked, digests, size, ...}],
//      vulnerabilities: []}
// The project-level document's "releases" key is deprecated by PyPI in favour of the simple API
// (PEP 691), so release lists come from simple-index.mjs and this module reads one release at a time.
import { compareDotted } from "./wheel-filename.mjs";

export function pypiReleaseUrl(project, version) {
  return `https://pypi.org/pypi/${encodeURIComponent(project)}/${encodeURIComponent(version)}/json`;
}

/** @returns {{ name: string, version: string, classifiers: string[], classifierPythons: string[],
 *   requiresDist: string[], requiresPython: string | null,
 *   files: { filename: string, packagetype: string, uploadTime: string | null, yanked: boolean }[] }} */
export function parsePypiRelease(doc) {
  const info = doc?.info;
  if (!info || typeof info.name !== "string" || typeof info.version !== "string") throw new Error("not a PyPI release document: no info.name/info.version");
  const classifiers = Array.isArray(info.classifiers) ? info.classifiers.map(String) : [];
  return {
    name: info.name,
    version: info.version,
    classifiers,
    classifierPythons: pythonsOfClassifiers(classifiers),
    requiresDist: Array.isArray(info.requires_dist) ? info.requires_dist.map(String) : [],
    requiresPython: info.requires_python || null,
    files: (Array.isArray(doc.urls) ? doc.urls : []).map((u) => ({
      filename: String(u.filename),
      packagetype: String(u.packagetype ?? ""),
      uploadTime: u.upload_time_iso_8601 ?? u.upload_time ?? null,
      yanked: u.yanked === true,
    })),
  };
}

/** "Programming Language :: Python :: 3.12" → "3.12" (major-only classifiers are ignored). */
export function pythonsOfClassifiers(classifiers) {
  const out = new Set();
  for (const c of classifiers) {
    const m = /^Programming Language :: Python :: (\d+\.\d+)$/.exec(c.trim());
    if (m) out.add(m[1]);
  }
  return [...out].sort(compareDotted);
}

/** A Requires-Dist line (PEP 508, the subset PyPI metadata uses): name, extras, version spec, marker. */
export function parseRequirement(line) {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(?:\(([^)]*)\)|([^;]*))?\s*(?:;\s*(.*))?$/.exec(line);
  if (!m) return null;
  return {
    name: m[1].toLowerCase().replace(/[-_.]+/g, "-"),
    extras: m[2] ? m[2].split(",").map((e) => e.trim()).filter(Boolean) : [],
    spec: (m[3] ?? m[4] ?? "").replace(/\s+/g, ""),
    marker: m[5]?.trim() ?? "",
  };
}

/** Requirements that apply to a plain install on Linux (no extra; platform markers allow Linux). */
export function linuxRequirements(requiresDist) {
  return requiresDist
    .map(parseRequirement)
    .filter((r) => r !== null)
    .filter((r) => !/\bextra\s*==/.test(r.marker))
    .filter((r) => !/platform_system\s*==\s*["'](Windows|Darwin)["']|sys_platform\s*==\s*["'](win32|darwin)["']/.test(r.marker));
}

/** The CUDA major.minor a PyPI wheel's dependencies pin: cuda-toolkit==X.Y.Z, else nvidia-cuda-runtime(-cuNN)==X.Y.*. */
export function cudaOfRequirements(requiresDist) {
  for (const r of linuxRequirements(requiresDist)) {
    if (r.name === "cuda-toolkit" || /^nvidia-cuda-runtime(-cu\d+)?$/.test(r.name)) {
      const m = /^(?:==|~=|>=)(\d+)\.(\d+)/.exec(r.spec);
      if (m) return `${m[1]}.${m[2]}`;
    }
  }
  return null;
}
