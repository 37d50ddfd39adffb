// nvidia/cuda image tags and their lifecycle.
// - NVIDIA's container-images/cuda lists (https://gitlab.com/nvidia/container-images/cuda/-/tree/master/doc):
//   supported-tags.md and unsupported-tags.md, Markdown grouped as "### <os>" / "#### CUDA <X.Y.Z>" with one
//   list item per tag: "- [`13.3.1-base-ubuntu24.04` (*…/Dockerfile*)](…)" (supported) or
//   "- `13.3.0-base-ubuntu24.04`" (unsupported). Per doc/support-policy.md a tag in the unsupported list
//   is end-of-life but still pullable; a tag in neither list has been (or is about to be) deleted.
// - Docker Hub's tag API (https://docs.docker.com/reference/api/hub/latest/#tag/repositories):
//   GET https://hub.docker.com/v2/repositories/nvidia/cuda/tags?page_size=100
//   → {count, next, previous, results: [{name, last_updated, digest, tag_status, images: [...], ...}]}.

/** @returns {{ kind: "supported"|"unsupported"|null, entries: { os: string, cuda: string, tags: string[] }[] }} */
export function parseTagList(markdown) {
  const heading = /^##\s+(Supported|Unsupported) tags/im.exec(markdown);
  const entries = [];
  let os = null;
  let current = null;
  for (const line of markdown.split(/\r?\n/)) {
    let m;
    if ((m = /^###\s+(\S+)\s*$/.exec(line))) {
      os = m[1];
      current = null;
    } else if ((m = /^####\s+CUDA\s+(\d+(?:\.\d+)+)\s*$/.exec(line)) && os) {
      current = { os, cuda: m[1], tags: [] };
      entries.push(current);
    } else if ((m = /^\s*[-*]\s+\[?`([^`]+)`/.exec(line)) && current) {
      current.tags.push(m[1]);
    }
  }
  return { kind: heading ? /** @type {"supported"|"unsupported"} */ (heading[1].toLowerCase()) : null, entries };
}

/** "13.3.1-cudnn-devel-ubuntu24.04" → {cuda: "13.3.1", variant: "cudnn", flavor: "devel", os: "ubuntu24.04"}. */
export function parseImageTag(tag) {
  const parts = tag.split("-");
  if (parts.length < 3 || !/^\d+\.\d+(\.\d+)?$/.test(parts[0] ?? "")) return null;
  const cuda = /** @type {string} */ (parts[0]);
  const os = /** @type {string} */ (parts[parts.length - 1]);
  const flavor = /** @type {string} */ (parts[parts.length - 2]);
  if (!["base", "runtime", "devel"].includes(flavor) || !/^[a-z]+[0-9.]*$/.test(os)) return null;
  const variant = parts.slice(1, -2).join("-") || null;
  return { cuda, variant, flavor, os };
}

/** @returns {{ count: number | null, next: string | null, tags: { name: string, lastUpdated: string | null, digest: string | null, status: string | null }[] }} */
export function parseHubTags(doc) {
  if (!doc || !Array.isArray(doc.results)) throw new Error("not a Docker Hub tag page: no results array");
  return {
    count: typeof doc.count === "number" ? doc.count : null,
    next: typeof doc.next === "string" && doc.next ? doc.next : null,
    tags: doc.results.map((r) => ({
      name: String(r.name),
      lastUpdated: r.last_updated ?? r.tag_last_pushed ?? null,
      digest: r.digest ?? null,
      status: r.tag_status ?? null,
    })),
  };
}
