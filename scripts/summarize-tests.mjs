#!/usr/bin/env node
// Reads Vitest's and Playwright's JSON reports and prints the closing line CI recognises:
// "N passed, N failed". A missing report counts as a failure.
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    console.log(`${file}: no report`);
    failed += 1;
    continue;
  }
  if (report.stats && "expected" in report.stats) {
    // Playwright
    const p = report.stats.expected + report.stats.flaky;
    const f = report.stats.unexpected;
    console.log(`${file}: playwright ${p} passed, ${f} failed, ${report.stats.skipped} skipped`);
    passed += p;
    failed += f + report.stats.skipped;
  } else {
    // Vitest
    console.log(`${file}: vitest ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
    passed += report.numPassedTests;
    failed += report.numFailedTests + report.numPendingTests + report.numTodoTests;
    if (!report.success) failed += report.numFailedTestSuites;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
