// How scripts/compile-data.mjs lays out the CLI's copy of the matrix in generated/data/, read by
// src/matrix/data.ts. Two things keep a start from parsing what it does not use:
//
// - A framework's releases are an index (each release without its builds) and one file of builds
//   per release: `resolve torch@1.9.0` parses one release's builds, not fifty.
// - A column of strings that repeats in a list of rows (the same eight commit URLs as the source
//   of 538 image rows) is stored once: the rows hold an index into the column's values, and the
//   reader puts the strings back. JSON.parse then reads about half as many bytes for images.json.
//
// Both are undone by the reader exactly (test/data-parts.test.ts compares the matrix as the CLI
// reads it with the compiled one).

/** Marks a part left out of its parent: the reader reads `$file` when the field is first used. */
export const REF = "$file";
/** Marks a part whose repeated string columns are stored once. */
export const INTERNED = "$interned";

/** A column is stored once when it has this many rows or more, at most half of them distinct. */
const MIN_ROWS = 8;
/** …and storing it once saves at least this many bytes. */
const MIN_SAVING = 1024;

const isRow = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * `value` with each repeated string column of its lists of rows replaced by indexes, as
 * `{ $interned: [{ at, key, values }], $value }`, or `value` itself where nothing repeats enough.
 * `at` is the path from the part's root to the list.
 */
export function internColumns(value) {
  const columns = [];
  const walk = (node, at) => {
    if (Array.isArray(node)) {
      if (node.length >= MIN_ROWS && node.every(isRow)) {
        const keys = new Set(node.flatMap((row) => Object.keys(row)));
        for (const key of keys) {
          const present = node.filter((row) => key in row);
          if (present.length < MIN_ROWS || !present.every((row) => typeof row[key] === "string")) continue;
          const values = [...new Set(present.map((row) => row[key]))];
          if (values.length * 2 > present.length) continue;
          const saving = present.reduce((n, row) => n + row[key].length, 0) - values.reduce((n, v) => n + v.length, 0) - present.length * 3;
          if (saving < MIN_SAVING) continue;
          columns.push({ at, key, values, rows: present });
        }
      }
      node.forEach((child, i) => walk(child, [...at, i]));
    } else if (isRow(node)) {
      for (const [key, child] of Object.entries(node)) walk(child, [...at, key]);
    }
  };
  walk(value, []);
  if (columns.length === 0) return value;
  const copy = structuredClone(value);
  const out = [];
  for (const { at, key, values } of columns) {
    const rows = at.reduce((node, k) => node[k], copy);
    const index = new Map(values.map((v, i) => [v, i]));
    for (const row of rows) if (key in row) row[key] = index.get(row[key]);
    out.push({ at, key, values });
  }
  return { [INTERNED]: out, $value: copy };
}

/**
 * The runtime parts of a framework's releases: the index (each release with `builds` as a
 * reference) and each release's builds, written with `part(file, value)`, which returns the
 * reference to put in the parent.
 */
export function releaseParts(name, releases, part) {
  return releases.map((release) => ({ ...release, builds: part(`frameworks/${name}/${release.version}.builds.json`, release.builds) }));
}
