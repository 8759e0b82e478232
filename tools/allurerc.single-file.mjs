// The single-file variant of ../allurerc.mjs: one self-contained index.html to attach to an email.
import base from "../allurerc.mjs";

export default {
  ...base,
  output: "reports/html-single",
  plugins: {
    awesome: { options: { ...base.plugins.awesome.options, singleFile: true } },
  },
};
