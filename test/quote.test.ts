// Encoding for the places values land: one shell word, a comment that cannot end early.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commentText, shellQuote, shellWord } from "../src/render/quote.js";

const echo = (word: string) => spawnSync("bash", ["-c", `printf '%s' ${word}`], { encoding: "utf8" }).stdout;

describe("shell quoting", () => {
  it.each(["torch==1.9.0+cu102", "https://download.pytorch.org/whl/cu124", "tensorflow[and-cuda]==2.15.0", "it's", "$(reboot)", "a b", "`id`", "x\ny", "", "'"])(
    "%j survives the shell as one word",
    (value) => {
      expect(echo(shellQuote(value))).toBe(value);
      expect(echo(shellWord(value))).toBe(value);
    },
  );

  it.each([["torch==1.9.0+cu102", "torch==1.9.0+cu102"], ["tensorflow[and-cuda]==2.15.0", "'tensorflow[and-cuda]==2.15.0'"], ["it's", "'it'\\''s'"]])(
    "%s is written as %s",
    (value, written) => expect(shellQuote(value)).toBe(written),
  );
});

describe("comment text", () => {
  it.each([["a\nRUN evil", "a RUN evil"], ["tab\there", "tab here"], ["line\u2028sep", "line sep"], ["plain", "plain"]])("%j", (value, want) => {
    expect(commentText(value)).toBe(want);
  });
});
