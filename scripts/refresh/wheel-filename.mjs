// Wheel file names, PEP 427 (https://peps.python.org/pep-0427/#file-name-convention), as amended by the
// binary distribution format spec (https://packaging.python.org/en/latest/specifications/binary-distribution-format/):
//   {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl
// Each tag may be a compressed tag set joined by "." (manylinux_2_17_x86_64.manylinux2014_x86_64).
// The version may carry a local part ("2.14.0+cu130", "0.4.26+cuda12.cudnn89"); "-" never occurs
// inside a field, so splitting on "-" is exact.

const WHEEL = /^(?<name>[^-]+)-(?<version>[^-]+)(?:-(?<build>\d[^-]*))?-(?<py>[^-]+)-(?<abi>[^-]+)-(?<plat>[^-]+)\.whl$/;

/** @returns {null | { name: string, version: string, publicVersion: string, local: string | null,
 *   build: string | null, pythonTags: string[], abiTags: string[], platformTags: string[],
 *   pythons: string[], freeThreaded: boolean, cuda: string | null }} */
export function parseWheelFilename(filename) {
  const m = WHEEL.exec(filename);
  if (!m?.groups) return null;
  const { name, version, build, py, abi, plat } = m.groups;
  const [publicVersion, local = null] = version.split("+", 2);
  const pythonTags = py.split(".");
  const abiTags = abi.split(".");
  return {
    name: normalizeName(name),
    version,
    publicVersion,
    local,
    build: build ?? null,
    pythonTags,
    abiTags,
    platformTags: plat.split("."),
    pythons: pythonsOf(pythonTags),
    freeThreaded: abiTags.some((t) => /^cp\d+t$/.test(t)),
    cuda: cudaOfLocal(local),
  };
}

/** PEP 503 name normalization. */
export function normalizeName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** "cp312" → "3.12", "cp39" → "3.9"; generic tags ("py3", "py2.py3") name no single interpreter. */
function pythonsOf(tags) {
  const out = new Set();
  for (const tag of tags) {
    const m = /^cp(\d)(\d+)$/.exec(tag);
    if (m) out.add(`${m[1]}.${m[2]}`);
  }
  return [...out].sort(compareDotted);
}

/** CUDA of a local version label: "cu130" → "13.0", "cu80" → "8.0", "cuda12.cudnn89" → "12",
 *  "cuda112" → "11.2", "cuda11" → "11"; anything else → null. */
export function cudaOfLocal(local) {
  if (!local) return null;
  let m = /^cu(\d)(\d)$|^cu(\d{2})(\d)$/.exec(local);
  if (m) return m[1] ? `${m[1]}.${m[2]}` : `${m[3]}.${m[4]}`;
  m = /^cuda(\d{2})(\d)$/.exec(local);
  if (m) return `${m[1]}.${m[2]}`;
  m = /^cuda(\d+)(?:\.|$)/.exec(local);
  return m ? m[1] : null;
}

/** True for Linux platform tags (manylinux*, musllinux*, linux_*). */
export function isLinuxPlatform(tag) {
  return /^(manylinux|musllinux|linux_)/.test(tag);
}

export function compareDotted(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
