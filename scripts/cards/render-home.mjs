// Draws a Slack Home tab (the `view` partnerbot passes to views.publish) as
// HTML close to Slack's own look, and screenshots it in headless Chromium.
//
//   node render-home.mjs OUT.png VIEW.json [APP_NAME]
//
// Knows the Block Kit partnerbot writes: header, section (mrkdwn text,
// fields, a button / overflow / select accessory), context, divider and
// actions. Exits 1 on anything else, or when the view is not a home view,
// so a picture never silently leaves something out.
import { chromium } from "playwright-core";

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [outPng, viewFile, appName = "partnerbot"] = process.argv.slice(2);
if (!outPng || !viewFile) {
  console.error("usage: node render-home.mjs OUT.png VIEW.json [APP_NAME]");
  process.exit(2);
}

const problems = [];
const view = JSON.parse(readFileSync(viewFile, "utf8"));
if (view.type !== "home") problems.push(`the view's type is ${JSON.stringify(view.type)}, not "home"`);
if (!Array.isArray(view.blocks) || view.blocks.length === 0) problems.push("the view has no blocks");
if ((view.blocks ?? []).length > 100) problems.push("a Home tab holds at most 100 blocks");

const escapeHtml = (s) =>
  String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Slack's mrkdwn: the text arrives with &, < and > already escaped, and
// links as <url|label>.
function mrkdwn(text) {
  const parts = [];
  let rest = String(text);
  const link = /<([^<>|]+)(?:\|([^<>]*))?>/;
  for (let m = rest.match(link); m; m = rest.match(link)) {
    parts.push(inline(rest.slice(0, m.index)));
    const label = m[2] ?? m[1];
    parts.push(`<a href="#">${inline(label)}</a>`);
    rest = rest.slice(m.index + m[0].length);
  }
  parts.push(inline(rest));
  return parts.join("");
}

function inline(text) {
  return text
    .replace(/"/g, "&quot;")
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, "$1<b>$2</b>")
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, "$1<i>$2</i>")
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, "$1<s>$2</s>")
    .replace(/\n/g, "<br>");
}

function textObject(t, where) {
  if (!t) return "";
  if (t.type === "mrkdwn") return mrkdwn(t.text);
  if (t.type === "plain_text") return escapeHtml(t.text);
  problems.push(`${where}: unknown text type ${t.type}`);
  return "";
}

function element(e, where) {
  switch (e.type) {
    case "button": {
      const style = e.style === "primary" ? " primary" : e.style === "danger" ? " danger" : "";
      return `<span class="button${style}">${textObject(e.text, where)}</span>`;
    }
    case "overflow":
      return `<span class="button overflow" title="${e.options?.length ?? 0} options">\u22ef</span>`;
    case "static_select": {
      const shown = e.initial_option ? e.initial_option.text : e.placeholder;
      return `<span class="button select">${textObject(shown, where)}<span class="caret">\u25be</span></span>`;
    }
    case "image":
      return `<span class="image"></span>`;
    case "mrkdwn":
    case "plain_text":
      return `<span>${textObject(e, where)}</span>`;
    default:
      problems.push(`${where}: unknown element ${e.type}`);
      return "";
  }
}

function block(b, i) {
  const where = `blocks[${i}] (${b.type})`;
  switch (b.type) {
    case "header":
      return `<div class="header">${textObject(b.text, where)}</div>`;
    case "divider":
      return `<hr>`;
    case "context":
      return `<div class="context">${(b.elements ?? []).map((e) => element(e, where)).join(" ")}</div>`;
    case "actions":
      return `<div class="actions">${(b.elements ?? []).map((e) => element(e, where)).join("")}</div>`;
    case "section": {
      const text = b.text ? `<div class="text">${textObject(b.text, where)}</div>` : "";
      const fields = b.fields
        ? `<div class="fields">${b.fields.map((f) => `<div>${textObject(f, where)}</div>`).join("")}</div>`
        : "";
      const accessory = b.accessory ? `<div class="accessory">${element(b.accessory, where)}</div>` : "";
      return `<div class="section"><div class="body">${text}${fields}</div>${accessory}</div>`;
    }
    default:
      problems.push(`${where}: unknown block type`);
      return "";
  }
}

const blocks = (view.blocks ?? []).map(block).join("\n");
if (problems.length > 0) {
  console.error(`${viewFile}: cannot draw this view:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}

// Slack's light theme: Lato, its greys, its link blue, its green primary
// button, the app's page with Home / Messages / About tabs.
const page_html = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #fff; color: #1d1c1d; font: 15px/1.46668 Lato, 'Liberation Sans', sans-serif;
         -webkit-font-smoothing: antialiased; }
  #frame { display: inline-block; width: 760px; border: 1px solid #dddddd; border-radius: 8px; overflow: hidden; }
  .top { display: flex; align-items: center; gap: 10px; padding: 14px 20px 0; }
  .icon { width: 36px; height: 36px; border-radius: 8px; background: #4a154b; color: #fff; font-weight: 900;
          display: flex; align-items: center; justify-content: center; font-size: 18px; }
  .name { font-weight: 900; font-size: 18px; }
  .tabs { display: flex; gap: 22px; padding: 12px 20px 0; border-bottom: 1px solid #dddddd; font-size: 14px;
          color: #616061; }
  .tabs span { padding-bottom: 9px; }
  .tabs .on { color: #1d1c1d; font-weight: 700; box-shadow: inset 0 -2px 0 #1264a3; }
  .content { padding: 8px 20px 20px; }
  .header { font-weight: 900; font-size: 18px; line-height: 1.33; margin: 12px 0 4px; }
  .section { display: flex; align-items: flex-start; gap: 12px; margin: 8px 0; }
  .section .body { flex: 1; min-width: 0; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; margin-top: 4px; }
  .context { color: #616061; font-size: 13px; margin: 6px 0; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
  hr { border: 0; border-top: 1px solid #dddddd; margin: 16px 0; }
  a { color: #1264a3; text-decoration: none; }
  code { font: 12px Monaco, 'Liberation Mono', monospace; color: #e01e5a; background: #f8f8f8;
         border: 1px solid #dddddd; border-radius: 3px; padding: 1px 3px; }
  .button { display: inline-flex; align-items: center; height: 28px; padding: 0 12px; border: 1px solid #bbbbbb;
            border-radius: 4px; font-size: 13px; font-weight: 700; white-space: nowrap; background: #fff; }
  .button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
  .button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
  .button.overflow { padding: 0 8px; font-size: 16px; }
  .button.select { font-weight: 400; gap: 8px; }
  .caret { color: #616061; }
</style></head><body><div id="frame">
  <div class="top"><div class="icon">${escapeHtml(appName.charAt(0).toUpperCase())}</div>
    <div class="name">${escapeHtml(appName)}</div></div>
  <div class="tabs"><span class="on">Home</span><span>Messages</span><span>About</span></div>
  <div class="content">${blocks}</div>
</div></body></html>`;

const userDataDir = mkdtempSync(join(tmpdir(), "render-home-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 800, height: 1200 },
  deviceScaleFactor: 1,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
});
try {
  // Nothing on the page may reach the network.
  await context.route("**/*", (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setContent(page_html);
  await page.locator("#frame").screenshot({ path: outPng });
  console.log(`home: ${outPng}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
