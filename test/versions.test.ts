import fc from "fast-check";
import { describe, expect, it } from "vitest";
import semverSatisfies from "semver/functions/satisfies.js";
import validRange from "semver/ranges/valid.js";
import { compare, isExact, isValidRange, majorMinor, parts, satisfies } from "../src/matrix/versions.js";

describe("compare", () => {
  it.each([
    ["11.8", "11.8.0", 0],
    ["10.2", "11.0", -1],
    ["12.10", "12.9", 1],
    ["550.54.15", "550.54.14", 1],
    ["440.33", "440.33.01", -1],
    ["1.9.0+cu102", "1.9.0", 0],
    ["8.9.7.29", "8.9.7", 1],
    ["3.10", "3.9", 1],
  ])("%s vs %s = %i", (a, b, want) => {
    expect(compare(a, b)).toBe(want);
  });
});

describe("parts and majorMinor", () => {
  it.each([
    ["12.4.1", [12, 4, 1], "12.4"],
    ["2.4.1+cu121", [2, 4, 1], "2.4"],
    ["10.2", [10, 2], "10.2"],
    ["13", [13], "13.0"],
  ])("%s", (v, p, mm) => {
    expect(parts(v)).toEqual(p);
    expect(majorMinor(v)).toBe(mm);
  });
});

describe("ranges", () => {
  it.each([
    ["1.9.3", "1.9", true],
    ["1.10.0", "1.9", false],
    ["2.1.2", "^2.1", true],
    ["3.0.0", "^2.1", false],
    ["2.2.0", ">=2.0 <2.3", true],
    ["2.3.0", ">=2.0 <2.3", false],
    ["11.8", "11", true],
    ["12.1", ">=12.1", true],
    ["12.0", ">=12.1", false],
    ["11.1", "11.1", true],
  ])("%s in %s: %s", (v, range, want) => {
    expect(satisfies(v, range)).toBe(want);
  });

  it.each([
    ["1.9.0", true, true],
    ["1.9", true, false],
    ["^2.1", true, false],
    [">=2.0 <2.3", true, false],
    ["not-a-range", false, false],
    ["1..2", false, false],
  ])("%s valid=%s exact=%s", (range, valid, exact) => {
    expect(isValidRange(range)).toBe(valid);
    expect(isExact(range)).toBe(exact);
  });
});

describe("memoised ranges and versions", () => {
  // satisfies() and isValidRange() keep each parsed range and coerced version for the process;
  // asked again, in any order, they answer as semver does on a fresh parse.
  const versions = ["1.9.3", "1.10.0", "2.1.2", "3.0.0", "11.8", "12.1", "12.0", "13.4.1", "2.4.1+cu121", "8.9.7.29", "x", ""];
  const ranges = ["1.9", "^2.1", ">=2.0 <2.3", "11", ">=12.1", "<13 || >=14", "*", "", "  >=12.1  ", "not-a-range", "1..2", "~>"];
  const coerced = (v: string) => {
    const [a = 0, b = 0, c = 0] = parts(v);
    return `${a}.${b}.${c}`;
  };
  it.each([1, 2, 3])("pass %i agrees with semver", (pass) => {
    const order = pass === 2 ? [...ranges].reverse() : ranges;
    for (const range of order) {
      expect(isValidRange(range)).toBe(validRange(range) !== null);
      for (const v of versions) expect(satisfies(v, range), `${v} in ${range}`).toBe(semverSatisfies(coerced(v), range));
    }
  });
});

describe("ranges of the data's forms, tested without semver", () => {
  // "1.9", ">=2.2.0 <2.4.0", "<=11", "=3" …: satisfies() turns them into semver's own intervals
  // itself; any other range goes to semver. Both must answer as semver does.
  const num = fc.oneof(fc.constantFrom(0, 1, 2, 9, 10, 11, 99, 999999999), fc.nat(30));
  const op = fc.constantFrom("", "=", ">=", ">", "<", "<=");
  const comparator = fc.tuple(op, fc.array(num, { minLength: 1, maxLength: 3 })).map(([o, ns]) => `${o}${ns.join(".")}`);
  const simple = fc.array(comparator, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(" "));
  // near misses that semver parses (or refuses) in its own way
  const other = fc.tuple(simple, fc.constantFrom(" ", "  ", "x", ".x", ".*", "^", "~", " - 3", " || 2", "-rc.1", "01", ">= ", " ")).map(([r, extra]) => (extra.endsWith(" ") && extra.length === 1 ? `${extra}${r}` : `${r}${extra}`));
  const version = fc.oneof(fc.array(num, { minLength: 1, maxLength: 4 }).map((ns) => ns.join(".")), fc.constantFrom("1.9.0+cu102", "2.4.1rc1", "x", "", "12.4.1-1", "-1.2", "1.-2", "9007199254740991.1", "9007199254740993.1", "1.99999999999999999999999", `${"9".repeat(400)}.1`));

  it("agrees with semver on ranges of those forms and near misses", () => {
    fc.assert(
      fc.property(fc.oneof(simple, other), version, (range, v) => {
        const [a = 0, b = 0, c = 0] = parts(v);
        expect(satisfies(v, range), `${v} in ${range}`).toBe(semverSatisfies(`${a}.${b}.${c}`, range));
        expect(isValidRange(range), range).toBe(validRange(range) !== null);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("pip specifiers", () => {
  it.each([
    ["8.9.2.26", "==8.9.2.26", true],
    ["8.9.4.25", "==8.9.2.26", false],
    ["9.1.0.70", ">=9.1,<10", true],
    ["10.0.0", ">=9.1,<10", false],
    ["12.1.105", "==12.1.*", true],
    ["12.2.0", "==12.1.*", false],
    ["2.2.5", "~=2.2.1", true],
    ["2.3.0", "~=2.2.1", false],
    ["1.0", "!=1.0", false],
  ])("%s meets %s: %s", async (v, spec, want) => {
    const { satisfiesSpec } = await import("../src/matrix/versions.js");
    expect(satisfiesSpec(v, spec)).toBe(want);
  });
});
