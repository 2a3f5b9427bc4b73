// Trunk's post-build hook (Trunk.toml): the Content Security Policy of
// index.html allows scripts from the page's own origin only, and Trunk
// writes the app's initializer into the page as an inline module script
// whose text names the build's hashed files. So after each build the
// policy's placeholder INLINE-SCRIPT-HASHES becomes the sha256 of each
// inline script of the built page, and nothing else inline can run.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PLACEHOLDER = "INLINE-SCRIPT-HASHES";
const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error("csp.mjs: no TRUNK_STAGING_DIR and no directory given");
  process.exit(1);
}
const file = join(dir, "index.html");
const html = readFileSync(file, "utf8");
if (!html.includes(PLACEHOLDER)) {
  console.error(`csp.mjs: ${file} has no ${PLACEHOLDER} in its Content Security Policy`);
  process.exit(1);
}
const hashes = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
  ([, body]) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`,
);
writeFileSync(file, html.replace(PLACEHOLDER, [...new Set(hashes)].join(" ")));
console.log(`csp.mjs: ${hashes.length} inline script(s) allowed by hash`);
