// Compares NVIDIA's tag lists and Docker Hub with matrix/images.yaml. Pure.
// Lifecycle rule (the one images.yaml states): listed in supported-tags.md only → supported; listed in
// unsupported-tags.md → eol; dropped from both lists → deleted. Judged only when both lists were read,
// and, where a recorded list declares itself a subset (meta.subset.os), only for those operating
// systems, so a trimmed recording never makes every other row look deleted.
import { parseImageTag } from "./container-tags.mjs";
import { naturalCompare } from "./versions.mjs";

const FLAVORS = ["base", "runtime", "devel"];

/** (cuda, os) → { status, flavors, variants, tags, url } from both lists. */
export function upstreamFamilies(images) {
  const families = new Map();
  for (const list of [images.supported, images.unsupported]) {
    if (list.status !== "ok") continue;
    const status = list === images.unsupported ? "eol" : "supported";
    for (const entry of list.entries) {
      const key = `${entry.cuda}|${entry.os}`;
      const fam = families.get(key) ?? { cuda: entry.cuda, os: entry.os, status, flavors: new Set(), variants: new Set(), tags: [], url: list.url };
      if (status === "eol") Object.assign(fam, { status, url: list.url }); // the unsupported list wins
      for (const tag of entry.tags) {
        const t = parseImageTag(tag);
        if (!t) continue;
        fam.flavors.add(t.flavor);
        if (t.variant) fam.variants.add(t.variant);
        fam.tags.push(tag);
      }
      families.set(key, fam);
    }
  }
  return families;
}

/** The operating systems a list speaks for: all of them, unless the recording declares a subset. */
function scopeOf(list) {
  const declared = list.subset?.os;
  return Array.isArray(declared) ? new Set(declared) : "all";
}

const flavorList = (set) => FLAVORS.filter((f) => set.has(f));

export function diffImages(images, up, asOf, date) {
  const out = [];
  const families = upstreamFamilies(up);
  const bothRead = up.supported.status === "ok" && up.unsupported.status === "ok";
  const scopes = [scopeOf(up.supported), scopeOf(up.unsupported)];
  const covered = (os) => bothRead && scopes.every((s) => s === "all" || s.has(os));
  const curated = new Map(images.images.map((row) => [`${row.cuda}|${row.os}`, row]));
  const note = `proposed by data:refresh on ${date}, review before merging`;

  for (const row of images.images) {
    if (String(row.cuda).split(".").length !== 3 || !covered(row.os)) continue;
    const fam = families.get(`${row.cuda}|${row.os}`);
    const now = fam?.status ?? "deleted";
    if (now === row.status) continue;
    out.push({
      group: "lifecycle",
      section: "images",
      key: `${row.cuda} ${row.os}`,
      title: `nvidia/cuda ${row.cuda} on ${row.os}: images.yaml says ${row.status}, NVIDIA's tag lists say ${now}`,
      details: fam ? [`tags: ${fam.tags.slice(0, 3).join(", ")}${fam.tags.length > 3 ? ", …" : ""}`] : ["in neither supported-tags.md nor unsupported-tags.md"],
      sources: fam ? [fam.url] : [up.supported.url, up.unsupported.url],
    });
  }

  for (const fam of families.values()) {
    if (curated.has(`${fam.cuda}|${fam.os}`)) continue;
    const hub = up.hub.tags.filter((t) => t.parsed?.cuda === fam.cuda && t.parsed?.os === fam.os);
    out.push({
      group: "new-tags",
      section: "images",
      key: `${fam.cuda} ${fam.os}`,
      title: `nvidia/cuda ${fam.cuda} on ${fam.os} (${fam.status}) is not in images.yaml`,
      details: [
        `flavors: ${flavorList(fam.flavors).join(", ")}${fam.variants.size ? `; variants: ${[...fam.variants].sort().join(", ")}` : ""}`,
        ...(hub.length ? [`on Docker Hub: ${hub.map((t) => `${t.name}${t.lastUpdated ? ` (${t.lastUpdated.slice(0, 10)})` : ""}`).join(", ")}`] : []),
      ],
      sources: [fam.url, ...(hub.length ? [up.hub.pages[0]?.url] : [])].filter(Boolean),
      proposal: {
        file: "images.yaml",
        key: "images",
        row: { cuda: fam.cuda, os: fam.os, flavors: flavorList(fam.flavors), cudnn: [], status: fam.status, source: fam.url, note: `${note}; cudnn versions come from the Dockerfiles' NV_CUDNN_VERSION and are not filled in${fam.variants.size ? ` (variants listed: ${[...fam.variants].sort().join(", ")})` : ""}` },
      },
    });
  }

  const hubFamilies = new Map();
  for (const t of up.hub.tags) {
    if (!t.parsed) continue;
    const key = `${t.parsed.cuda}|${t.parsed.os}`;
    if (!hubFamilies.has(key)) hubFamilies.set(key, []);
    hubFamilies.get(key).push(t);
  }
  const hubUrl = up.hub.pages[0]?.url;
  for (const [key, tags] of hubFamilies) {
    const row = curated.get(key);
    const [cuda, os] = key.split("|");
    if (!row && !families.has(key)) {
      out.push({ group: "new-tags", section: "images", key: `${cuda} ${os}`, title: `nvidia/cuda ${cuda} on ${os} is on Docker Hub but in neither NVIDIA's tag lists nor images.yaml`, details: [`tags: ${tags.map((t) => t.name).join(", ")}`], sources: [hubUrl] });
    } else if (row?.status === "deleted") {
      out.push({ group: "disagreement", section: "images", key: `${cuda} ${os} deleted`, title: `nvidia/cuda ${cuda} on ${os}: images.yaml says deleted, Docker Hub still serves ${tags[0]?.name}`, details: [], sources: [hubUrl] });
    } else if (row && asOf) {
      const repushed = tags.filter((t) => t.lastUpdated && t.lastUpdated.slice(0, 10) > asOf);
      if (repushed.length) {
        out.push({
          group: "rebuilt",
          section: "images",
          key: `${cuda} ${os}`,
          title: `nvidia/cuda ${cuda} on ${os}: tags re-pushed after the matrix's asOf (${asOf})`,
          details: [`${repushed.map((t) => `${t.name} ${t.lastUpdated}${t.digest ? ` ${t.digest}` : ""}`).join("; ")}`, "re-read NVIDIA_REQUIRE_CUDA and NV_CUDNN_VERSION from the image config"],
          sources: [hubUrl],
        });
      }
    }
  }
  return out.sort((a, b) => naturalCompare(a.key, b.key));
}

/** CUDA X.Y.Z releases that upstream image tags name, for the CUDA diff. */
export function taggedCudaReleases(up) {
  const seen = new Map();
  for (const fam of upstreamFamilies(up).values()) if (fam.cuda.split(".").length === 3 && !seen.has(fam.cuda)) seen.set(fam.cuda, { version: fam.cuda, url: fam.url });
  return [...seen.values()];
}
