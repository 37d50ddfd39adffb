// A small, forgiving XML reader for nvidia-smi's `-q -x` output: elements, attributes and text;
// comments, processing instructions, DOCTYPE and CDATA handled; never throws. Unclosed elements
// are closed at the end, stray closing tags are ignored. Not a validating parser: enough to read
// a handful of fields by path.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] !== "#") return ENTITIES[e.toLowerCase()] ?? whole;
    const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of s.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs[m[1]!] = decodeEntities(m[2] ?? m[3] ?? "");
  }
  return attrs;
}

/** Where a markup construct starting at `i` ends (index just past it), or -1 when unterminated. */
function skipSpecial(xml: string, i: number): number {
  const close = (end: string) => {
    const j = xml.indexOf(end, i);
    return j < 0 ? -1 : j + end.length;
  };
  if (xml.startsWith("<!--", i)) return close("-->");
  if (xml.startsWith("<?", i)) return close("?>");
  const gt = xml.indexOf(">", i);
  const bracket = xml.indexOf("[", i);
  return bracket >= 0 && (gt < 0 || bracket < gt) ? close("]>") : close(">"); // DOCTYPE
}

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < xml.length) {
    const top = stack[stack.length - 1]!;
    const lt = xml.indexOf("<", i);
    top.text += decodeEntities(xml.slice(i, lt < 0 ? xml.length : lt));
    if (lt < 0) break;
    if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt);
      if (end < 0) break;
      top.text += xml.slice(lt + 9, end);
      i = end + 3;
      continue;
    }
    if (xml[lt + 1] === "!" || xml[lt + 1] === "?") {
      i = skipSpecial(xml, lt);
      if (i < 0) break;
      continue;
    }
    const gt = xml.indexOf(">", lt);
    if (gt < 0) break;
    handleTag(xml.slice(lt + 1, gt), stack);
    i = gt + 1;
  }
  return root;
}

function handleTag(body: string, stack: XmlElement[]): void {
  if (body.startsWith("/")) {
    const name = body.slice(1).trim();
    const at = stack.map((e) => e.name).lastIndexOf(name);
    if (at > 0) stack.length = at; // pop to (and including) the matching element
    return;
  }
  const m = /^([A-Za-z_][\w.:-]*)([\s\S]*)$/.exec(body);
  if (!m) return;
  const selfClosing = m[2]!.trimEnd().endsWith("/");
  const el: XmlElement = { name: m[1]!, attrs: parseAttrs(m[2]!), children: [], text: "" };
  stack[stack.length - 1]!.children.push(el);
  if (!selfClosing) stack.push(el);
}

export const childrenNamed = (el: XmlElement | undefined, name: string): XmlElement[] =>
  el ? el.children.filter((c) => c.name === name) : [];

/** The element at a slash-separated path of child names ("pci/pci_bus_id"), first match at each step. */
export function at(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const step of path.split("/")) cur = cur?.children.find((c) => c.name === step);
  return cur;
}

/** Trimmed text of the element at `path`, or undefined. */
export const textAt = (el: XmlElement | undefined, path: string): string | undefined => at(el, path)?.text.trim();
