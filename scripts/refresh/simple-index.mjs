// Project pages of the Python "simple" repository API, both serializations, normalized to one shape:
// - PEP 503 HTML (https://peps.python.org/pep-0503/): one <a href="URL#<hashname>=<hex>"> per file,
//   the anchor text being the file name; optional data-requires-python (HTML-escaped),
//   data-yanked, data-dist-info-metadata / data-core-metadata (PEP 658/714).
// - PEP 691 JSON (https://peps.python.org/pep-0691/), Content-Type application/vnd.pypi.simple.v1+json:
//   {meta: {"api-version"}, name, files: [{filename, url, hashes, requires-python, yanked, ...}]},
//   plus PEP 700's "versions" and per-file "upload-time" and "size" from api-version 1.1.
// The same module reads find-links pages (a plain HTML list of wheel links, e.g. JAX's).

export const PEP691_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1";
export const PEP503_ACCEPT = "application/vnd.pypi.simple.v1+html, text/html;q=0.9";

/** @returns {{ name: string | null, apiVersion: string | null, versions: string[] | null,
 *   files: { filename: string, url: string, hashes: Record<string, string>, requiresPython: string | null,
 *            yanked: boolean, uploadTime: string | null }[] }} */
export function parseSimpleIndex(body, { contentType = "", baseUrl }) {
  const looksJson = /json/i.test(contentType) || /^\s*\{/.test(body);
  return looksJson ? parseSimpleJson(JSON.parse(body), baseUrl) : parseSimpleHtml(body, baseUrl);
}

export function parseSimpleJson(doc, baseUrl) {
  if (!doc || typeof doc !== "object" || !Array.isArray(doc.files)) throw new Error("not a PEP 691 project page: no files array");
  const apiVersion = doc.meta?.["api-version"] ?? null;
  if (apiVersion !== null && !/^1\./.test(apiVersion)) throw new Error(`unsupported simple API version ${apiVersion}`);
  return {
    name: typeof doc.name === "string" ? doc.name : null,
    apiVersion,
    versions: Array.isArray(doc.versions) ? doc.versions.map(String) : null,
    files: doc.files.map((f) => ({
      filename: String(f.filename),
      url: new URL(String(f.url), baseUrl).href,
      hashes: f.hashes && typeof f.hashes === "object" ? { ...f.hashes } : {},
      requiresPython: f["requires-python"] ?? null,
      yanked: f.yanked === true || typeof f.yanked === "string",
      uploadTime: f["upload-time"] ?? null,
    })),
  };
}

const ANCHOR = /<a\s([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const ATTRIBUTE = /([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function parseSimpleHtml(html, baseUrl) {
  const meta = /<meta\s+name=["']pypi:repository-version["']\s+content=["']([^"']+)["']/i.exec(html);
  const files = [];
  for (const [, attrText = "", inner = ""] of html.matchAll(ANCHOR)) {
    const attrs = {};
    for (const [, key = "", dq, sq, bare] of attrText.matchAll(ATTRIBUTE)) attrs[key.toLowerCase()] = unescapeHtml(dq ?? sq ?? bare ?? "");
    if (!attrs.href) continue;
    const url = new URL(attrs.href, baseUrl);
    const hashes = {};
    const frag = /^#([a-z0-9_]+)=([0-9a-f]+)$/i.exec(url.hash);
    if (frag) hashes[frag[1].toLowerCase()] = frag[2].toLowerCase();
    url.hash = "";
    const text = unescapeHtml(inner.replace(/<[^>]*>/g, "")).trim();
    const lastSegment = decodeURIComponent(url.pathname.split("/").pop() ?? "");
    // PEP 503: the anchor text must match the final path segment; find-links pages sometimes print a
    // longer label ("cuda12/jaxlib-…whl"), so the URL's segment wins when they differ.
    const filename = text === lastSegment || !lastSegment ? text : lastSegment;
    files.push({
      filename,
      url: url.href,
      hashes,
      requiresPython: attrs["data-requires-python"] ?? null,
      yanked: "data-yanked" in attrs,
      uploadTime: null,
    });
  }
  return { name: null, apiVersion: meta?.[1] ?? null, versions: null, files };
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };

export function unescapeHtml(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent) => {
    const lower = ent.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return ENTITIES[lower] ?? whole;
  });
}
