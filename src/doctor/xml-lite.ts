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

const isNameStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined) => c !== undefined && /[\w.:-]/.test(c);
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** `name="value" other='value'`, scanned left to right once (no pattern that could backtrack):
 *  what is not an attribute is skipped a character at a time, an unterminated value ends the scan. */
function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  let i = 0;
  while (i < s.length) {
    if (!isNameStart(s[i]) || isNameChar(s[i - 1])) {
      i++;
      continue;
    }
    let j = i + 1;
    while (isNameChar(s[j])) j++;
    const name = s.slice(i, j);
    while (isSpace(s[j])) j++;
    if (s[j] !== "=") {
      i = j;
      continue;
    }
    j++;
    while (isSpace(s[j])) j++;
    const quote = s[j];
    if (quote !== '"' && quote !== "'") {
      i = j;
      continue;
    }
    const end = s.indexOf(quote, j + 1);
    if (end < 0) break;
    if (name !== "__proto__") attrs[name] = decodeEntities(s.slice(j + 1, end));
    i = end + 1;
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
  // DOCTYPE: up to ">", or to "]>" when an internal subset ("[") opens before that ">". The "["
  // is looked for only before the ">", so many declarations cost linear time.
  const gt = xml.indexOf(">", i);
  const bracket = gt < 0 ? xml.indexOf("[", i) : xml.slice(i, gt).indexOf("[");
  return bracket >= 0 ? close("]>") : gt < 0 ? -1 : gt + 1;
}

/** The open elements, with where each name was last opened, so a closing tag finds its element
 *  without searching the stack (a run of unmatched closing tags costs linear time). */
class OpenElements {
  readonly stack: XmlElement[];
  private readonly depths = new Map<string, number[]>();

  constructor(root: XmlElement) {
    this.stack = [root];
  }

  get top(): XmlElement {
    return this.stack[this.stack.length - 1]!;
  }

  push(el: XmlElement): void {
    const at = this.depths.get(el.name);
    if (at) at.push(this.stack.length);
    else this.depths.set(el.name, [this.stack.length]);
    this.stack.push(el);
  }

  /** Pops to (and including) the innermost open element called `name`; ignores a stray closing tag. */
  close(name: string): void {
    const at = this.depths.get(name);
    const depth = at?.[at.length - 1];
    if (depth === undefined) return;
    while (this.stack.length > depth) this.depths.get(this.stack.pop()!.name)!.pop();
  }
}

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const open = new OpenElements(root);
  let i = 0;
  while (i < xml.length) {
    const top = open.top;
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
    handleTag(xml.slice(lt + 1, gt), open);
    i = gt + 1;
  }
  return root;
}

const TAG_NAME = /^[A-Za-z_][\w.:-]*/;

function handleTag(body: string, open: OpenElements): void {
  if (body.startsWith("/")) {
    open.close(body.slice(1).trim());
    return;
  }
  const name = TAG_NAME.exec(body)?.[0];
  if (name === undefined) return;
  const rest = body.slice(name.length);
  const selfClosing = rest.trimEnd().endsWith("/");
  const el: XmlElement = { name, attrs: parseAttrs(rest), children: [], text: "" };
  open.top.children.push(el);
  if (!selfClosing) open.push(el);
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
