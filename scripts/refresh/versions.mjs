// The few version helpers the refresh needs. Framework and CUDA versions here are plain dotted
// numbers; anything else (rc, dev, post, local labels) is filtered out before comparing.
export { compareDotted } from "./wheel-filename.mjs";
import { compareDotted } from "./wheel-filename.mjs";

/** A final release: digits and dots only (no pre/dev/post release, no local label). */
export function isFinal(version) {
  return /^\d+(\.\d+)*$/.test(version);
}

export function majorMinor(version) {
  return version.split(".").slice(0, 2).join(".");
}

/** "13.0" → "cu130", "8.0" → "cu80". */
export function cuTag(cuda) {
  return `cu${cuda.replace(".", "")}`;
}

export function newest(versions) {
  return [...versions].sort(compareDotted).at(-1) ?? null;
}

/** Orders strings with embedded numbers naturally ("cu126" < "cu130", "2.9.1" < "2.14.0"). */
export function naturalCompare(a, b) {
  const ta = a.split(/(\d+)/);
  const tb = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
    const x = ta[i] ?? "";
    const y = tb[i] ?? "";
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (i % 2 === 1 && x !== "" && y !== "") return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** A Python list in the order people read it: ["3.9", "3.10"]. */
export function sortPythons(list) {
  return [...new Set(list)].sort(compareDotted);
}
