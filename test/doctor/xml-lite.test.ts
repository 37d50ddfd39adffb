// The small XML reader: structure, tolerance of broken input, and no exceptions ever.
import { describe, expect, it } from "vitest";
import { at, decodeEntities, parseXml, textAt } from "../../src/doctor/xml-lite.js";

describe("parseXml", () => {
  it("reads nested elements, attributes and text, skipping prolog, DOCTYPE and comments", () => {
    const doc = parseXml('<?xml version="1.0" ?>\n<!DOCTYPE log SYSTEM "x.dtd">\n<!-- c <gpu> -->\n<log><gpu id="a" x=\'1\'><pci><bus_id>B</bus_id></pci><self/></gpu></log>');
    const gpu = at(doc, "log/gpu");
    expect(gpu?.attrs).toEqual({ id: "a", x: "1" });
    expect(textAt(gpu, "pci/bus_id")).toBe("B");
    expect(gpu?.children.map((c) => c.name)).toEqual(["pci", "self"]);
  });

  it("skips a DOCTYPE with an internal subset", () => {
    expect(textAt(parseXml('<!DOCTYPE a [ <!ELEMENT a (#PCDATA)> ]><a>x</a>'), "a")).toBe("x");
  });

  it.each([
    ["unclosed elements are closed at the end", "<a><b>text", "a/b", "text"],
    ["stray closing tags are ignored", "<a></zzz><b>1</b></a>", "a/b", "1"],
    ["a mismatched close pops to its match", "<a><b><c>2</b><d>3</d></a>", "a/d", "3"],
    ["an unterminated tag ends the document", "<a><b>4</b><c", "a/b", "4"],
    ["an unterminated comment ends the document", "<a><b>5</b><!-- ...", "a/b", "5"],
  ])("%s", (_what, xml, path, want) => {
    expect(textAt(parseXml(xml), path)).toBe(want);
  });

  it.each(["", "plain text", "<", "<>", "<<<>>>", "</a>", "<!", "<?", "<![CDATA[", "&#99999999;", "<a b=>"])("never throws on %j", (xml) => {
    expect(() => parseXml(xml)).not.toThrow();
  });

  it("decodes the predefined and numeric entities and leaves unknown ones", () => {
    expect(decodeEntities("&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&nbsp;&#0;")).toBe("<>&\"'AB&nbsp;&#0;");
  });
});
