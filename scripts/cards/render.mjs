// Renders Adaptive Card JSON files with Microsoft's own adaptivecards
// renderer in headless Chromium and writes one PNG per card.
//
//   node render.mjs OUT_DIR NAME=CARD.json [NAME=CARD.json ...]
//
// A NAME ending in "+menu" is drawn with its first overflow menu open.
//
// Exits 1 when a card does not parse, when the renderer reports a problem
// while parsing or validating it (validateProperties()), or when it renders
// nothing; the PNGs of the valid cards are still written.
import { chromium } from "playwright-core";

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const renderer = join(here, "node_modules", "adaptivecards", "dist");
const [outDir, ...jobs] = process.argv.slice(2);
if (!outDir || jobs.length === 0) {
  console.error("usage: node render.mjs OUT_DIR NAME=CARD.json ...");
  process.exit(2);
}

// A message as Teams shows it: the bot's card on the conversation's grey,
// in Teams' light theme colours and sizes (Segoe UI is not on Debian;
// Liberation Sans has the same metrics as Arial, close enough).
const hostConfig = JSON.parse(readFileSync(join(here, "host-config.json"), "utf8"));
const page_html = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #f5f5f5; font-family: 'Segoe UI', 'Liberation Sans', sans-serif; }
  #frame { display: inline-block; padding: 16px; }
  #card { width: 640px; background: #fff; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); overflow: hidden; }
</style></head><body><div id="frame"><div id="card"></div></div></body></html>`;

const userDataDir = mkdtempSync(join(tmpdir(), "render-cards-"));
let failed = false;
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 720, height: 1400 },
  deviceScaleFactor: 1,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  // Nothing on the page may reach the network.
  await context.route("**/*", (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  for (const job of jobs) {
    const eq = job.indexOf("=");
    const file = job.slice(eq + 1);
    const openMenu = job.slice(0, eq).endsWith("+menu");
    const name = job.slice(0, eq).replace(/\+menu$/, "-menu");
    let card;
    try {
      card = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      console.error(`${name}: ${file} is not JSON: ${e.message}`);
      failed = true;
      continue;
    }
    await page.setContent(page_html);
    await page.addStyleTag({ path: join(renderer, "adaptivecards.css") });
    await page.addStyleTag({ path: join(here, "teams.css") });
    await page.addScriptTag({ path: join(renderer, "adaptivecards.min.js") });
    const problems = await page.evaluate(
      ({ card, hostConfig }) => {
        const AC = window.AdaptiveCards;
        const problems = [];
        const ac = new AC.AdaptiveCard();
        ac.hostConfig = new AC.HostConfig(hostConfig);
        const context = new AC.SerializationContext();
        ac.parse(card, context);
        for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
        for (const e of ac.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
        const element = ac.render();
        if (!element) problems.push("render: the renderer produced nothing");
        else document.getElementById("card").appendChild(element);
        return problems;
      },
      { card, hostConfig },
    );
    if (problems.length > 0) {
      console.error(`${name}: the adaptivecards renderer reports the card invalid:`);
      for (const p of problems) console.error(`  ${p}`);
      failed = true;
      continue;
    }
    if (openMenu) {
      // The overflow button is the one that opens a popup of actions.
      const overflow = page.locator('#card button[aria-expanded="false"]').first();
      if ((await overflow.count()) === 0) {
        console.error(`${name}: the card has no overflow menu to open`);
        failed = true;
        continue;
      }
      await overflow.click();
    }
    const png = join(outDir, `${name}.png`);
    const frame = await page.locator("#frame").boundingBox();
    if (openMenu) {
      // Only the top of the card, down to the open menu.
      const menu = await page.locator(".ac-ctrl-popup-container").boundingBox();
      const bottom = Math.min(frame.y + frame.height, menu.y + menu.height + 24);
      await page.screenshot({ path: png, clip: { x: frame.x, y: frame.y, width: frame.width, height: bottom - frame.y } });
    } else {
      await page.locator("#frame").screenshot({ path: png });
    }
    console.log(`${name}: ${png}`);
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
