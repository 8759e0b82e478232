// Cucumber's standalone HTML report from a Cucumber Messages NDJSON file (used by
// tools/build_cucumber_report.py): node tools/cucumber-html.mjs IN.ndjson OUT.html
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CucumberHtmlStream } from "@cucumber/html-formatter";

const [input, output] = process.argv.slice(2);
async function* envelopes() {
  for await (const line of createInterface({ input: createReadStream(input, "utf-8"), crlfDelay: Infinity })) {
    if (line.trim()) yield JSON.parse(line);
  }
}
const dist = new URL("../node_modules/@cucumber/html-formatter/dist/", import.meta.url);
await pipeline(
  Readable.from(envelopes(), { objectMode: true }),
  new CucumberHtmlStream(new URL("main.css", dist).pathname, new URL("main.js", dist).pathname),
  createWriteStream(output),
);
