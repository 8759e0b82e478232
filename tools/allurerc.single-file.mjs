// The single-file variant of ../allurerc.mjs: one self-contained index.html to attach to an email.
import base from "../allurerc.mjs";

export default {
  ...base,
  output: "reports/html-single",
  // each run in the history costs the file about 1.3 MB: it embeds the previous run only (what is
  // new, fixed or broken since), from a copy that tools/build_report.py prepares and folds back
  historyPath: "reports/html-single-history/history.jsonl",
  historyLimit: 2,
  plugins: {
    awesome: { options: { ...base.plugins.awesome.options, singleFile: true } },
  },
};
