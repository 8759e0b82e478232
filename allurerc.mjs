// Allure 3 configuration for the acceptance suite's report (used by tools/build_report.py).
import { readFileSync } from "node:fs";

// the same failure categories the suite writes as categories.json (support/evidence/report_categories.json)
const categories = JSON.parse(readFileSync(new URL("./support/evidence/report_categories.json", import.meta.url), "utf-8"));

export default {
  name: "Northlight Studio portal: acceptance specification",
  output: "reports/html",
  // trends across runs: CI keeps this file between runs (see README, "Reports")
  historyPath: "reports/history/history.jsonl",
  // the last 20 runs are enough for trends, and keep the report from growing with every run
  historyLimit: 20,
  categories: {
    rules: categories.map((c) => ({
      name: c.name,
      // Java-style (?s) in the JSON becomes the "s" flag here
      matchers: { statuses: c.matchedStatuses, ...(c.messageRegex ? { message: new RegExp(c.messageRegex.replace(/^\(\?s\)/, ""), "s") } : {}) },
      // product defects are grouped by feature and business rule (the story label), not by message text
      ...(c.groupBy ? { groupBy: c.groupBy, groupByMessage: c.groupByMessage ?? true } : {}),
      expand: true,
    })),
  },
  plugins: {
    awesome: {
      options: {
        reportName: "Northlight Studio portal: acceptance specification",
        // the behaviours view: capability, feature file, business rule
        groupBy: ["epic", "feature", "story"],
        reportLanguage: "en",
        theme: "light",
      },
    },
  },
};
