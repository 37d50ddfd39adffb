// Reads NVIDIA's tag lists (lifecycle) and Docker Hub's tag API (what the registry serves).
import { parseHubTags, parseImageTag, parseTagList } from "./container-tags.mjs";

export const TAG_LISTS = Object.freeze({
  supported: "https://gitlab.com/nvidia/container-images/cuda/-/raw/master/doc/supported-tags.md",
  unsupported: "https://gitlab.com/nvidia/container-images/cuda/-/raw/master/doc/unsupported-tags.md",
});
export const HUB_FIRST_PAGE = "https://hub.docker.com/v2/repositories/nvidia/cuda/tags?page_size=100&ordering=last_updated";
export const MAX_HUB_PAGES = 5; // the newest 500 tags; Docker Hub rate-limits anonymous API use

async function readList(upstream, kind) {
  const url = TAG_LISTS[kind];
  const res = await upstream.get({ url, format: "markdown", accept: "text/plain, text/markdown", purpose: `nvidia/cuda ${kind} tags` });
  if (res.status !== "ok") return { url, status: res.status, error: res.error, subset: null, entries: [] };
  const parsed = parseTagList(res.body ?? "");
  if (parsed.kind !== kind) return { url, status: "error", error: `expected a "${kind} tags" list, found ${parsed.kind ?? "no heading"}`, subset: null, entries: [] };
  return { url, status: "ok", subset: res.meta?.subset ?? null, entries: parsed.entries };
}

async function readHub(upstream) {
  const pages = [];
  const tags = [];
  let url = HUB_FIRST_PAGE;
  let complete = false;
  for (let i = 0; i < MAX_HUB_PAGES && url; i++) {
    const res = await upstream.get({ url, format: "json", accept: "application/json", purpose: `Docker Hub nvidia/cuda tags, page ${i + 1}` });
    pages.push({ url, status: res.status, error: res.error });
    if (res.status !== "ok") break;
    try {
      const page = parseHubTags(JSON.parse(res.body ?? ""));
      for (const t of page.tags) tags.push({ ...t, parsed: parseImageTag(t.name) });
      url = page.next;
      complete = page.next === null;
    } catch (err) {
      pages[pages.length - 1] = { url, status: "error", error: `could not parse: ${err.message}` };
      break;
    }
  }
  return { pages, tags, complete };
}

export async function collectImages(upstream) {
  const [supported, unsupported, hub] = await Promise.all([readList(upstream, "supported"), readList(upstream, "unsupported"), readHub(upstream)]);
  return { supported, unsupported, hub };
}
