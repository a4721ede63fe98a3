import assert from "node:assert/strict";
import { test } from "node:test";
import { csvField } from "./participation.export.ts";

test("CSV cells cannot carry a formula into any spreadsheet, whichever separator it splits on", () => {
  assert.equal(csvField("Alice"), "Alice");
  assert.equal(csvField("Jean-Pierre"), "Jean-Pierre");
  assert.equal(csvField("=HYPERLINK(\"http://x\")"), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField("+33 6 12"), "'+33 6 12");
  assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
  // French spreadsheets cut "a;=1+1" into two cells: the second must not be a formula.
  assert.equal(csvField("Bob;=1+1"), `"Bob;'=1+1"`);
  assert.equal(csvField("Bob; -2+3"), `"Bob; '-2+3"`);
  // Tabs and carriage returns, at the start or cutting cells and rows.
  assert.equal(csvField("\t=1"), `"'\t'=1"`);
  assert.equal(csvField("x\r=cmd"), `"x\r'=cmd"`);
  assert.equal(csvField("x\n@y"), `"x\n'@y"`);
  assert.equal(csvField("a,=b"), `"a,'=b"`);
});
