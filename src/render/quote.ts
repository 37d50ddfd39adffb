// Encoding for the places values land. Every value that reaches a generated file goes through
// one of these, once, in code — never pasted into a template raw.

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: left bare when it is plainly safe, otherwise single-quoted. */
export function shellQuote(value: string): string {
  if (value !== "" && SHELL_SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Always single-quoted, for `NAME=<value>` assignments in scripts. */
export function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A JSON (and so YAML flow) scalar or structure. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Characters that end a line for some reader of a generated file, or control a terminal: C0 and
 * C1 controls (NEL, U+0085, is a line break to YAML 1.1 parsers such as PyYAML, libyaml and
 * go-yaml, and to Python's str.splitlines, which pip uses on requirements files), DEL, and the
 * Unicode line and paragraph separators (JavaScript, YAML).
 */
const BREAKS_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A value that stays on its one line wherever it is written. */
export function isSingleLine(value: string): boolean {
  return !BREAKS_LINE.test(value);
}

/** A single comment line's text: no line breaks or control characters can escape the comment. */
export function commentText(value: string): string {
  return value.replace(new RegExp(BREAKS_LINE.source, "g"), " ");
}
