// Text from outside (a lock file, a saved capture, a path) is shown, never obeyed: control
// characters that a terminal would act on are printed as visible escapes.

// C0 controls, DEL, C1 controls (U+009B is CSI on some terminals), line/paragraph separators and
// the bidirectional overrides that can reorder what a reader sees.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, "0");
/** `\x1b` for C0 controls (as a reader types them), `\u009b` for the rest (valid inside JSON strings too). */
const escape = (c: string): string => (c < "\u0020" ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/** One value inside a line of output: every control character escaped (newlines too), long values cut. */
export function printable(value: string, max = 200): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return cut.replace(CONTROL, escape);
}

/**
 * A whole block of output: line breaks and tabs kept, every other control character escaped.
 * JSON.stringify already escapes C0 controls, so JSON output stays valid JSON.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL_KEEP_LINES, escape);
}
