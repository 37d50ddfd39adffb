// Line endings. A checkout made with git's core.autocrlf holds CRLF copies of the generated files;
// to us they are the same files. Comparisons, seals and the lock's hashes use the LF text; a file
// that uses CRLF on disk is written back in CRLF.
export type Eol = "lf" | "crlf";

export const toLf = (text: string): string => text.replace(/\r\n/g, "\n");

/** crlf when `text` has line breaks and every one of them is CRLF. */
export function eolOf(text: string): Eol {
  return text.includes("\r\n") && !/(^|[^\r])\n/.test(text) ? "crlf" : "lf";
}

/** LF text with the given line endings. */
export const withEol = (text: string, eol: Eol): string => (eol === "crlf" ? text.replace(/\r?\n/g, "\r\n") : text);
