// The single-file variant of ../allurerc.mjs: one self-contained index.html to attach to an email.
import base from "../allurerc.mjs";

export default {
  ...base,
  output: "reports/html-single",
  // each run in the history costs about 250 KB of the file: five show a trend and keep it small
  historyLimit: 5,
  plugins: {
    awesome: { options: { ...base.plugins.awesome.options, singleFile: true } },
  },
};
