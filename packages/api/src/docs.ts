import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";
import { ProblemError, problemFor } from "./problem.ts";

/**
 * Interactive docs at /docs: Swagger UI over /openapi.json, its script and styles served from
 * the swagger-ui-dist package by this app, so the page works with no internet (and no CDN sees
 * who reads the docs). Mount with `app.route("/", docsRoutes)`.
 */
const ASSETS = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
} as const satisfies Record<string, string>;
type Asset = keyof typeof ASSETS;

const isAsset = (name: string): name is Asset => Object.hasOwn(ASSETS, name);

// Its own file rather than an inline <script>, so that a strict Content-Security-Policy still
// lets the page run. validatorUrl: null stops Swagger UI calling validator.swagger.io. Swagger UI
// groups operations by their tag, in the order of the document's `tags` (openapi/tags.ts) when no
// tagsSorter is set; `filter` adds a box that narrows the page to the tags matching it.
const INIT_SCRIPT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    filter: true,
    displayOperationId: true,
    docExpansion: "list",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>relief-ledger API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
`;

const distDir = () => dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

// Read once per process (a warm Lambda keeps them); a failed read is not cached.
const cache = new Map<Asset, Promise<string>>();
function assetText(name: Asset): Promise<string> {
  let text = cache.get(name);
  if (!text) {
    text = readFile(join(distDir(), name), "utf8");
    text.catch(() => cache.delete(name));
    cache.set(name, text);
  }
  return text;
}

export const docsRoutes = new Hono()
  .get("/docs", (c) => c.html(PAGE))
  .get("/docs/assets/init.js", (c) => c.body(INIT_SCRIPT, 200, { "Content-Type": ASSETS["swagger-ui-bundle.js"] }))
  .get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    if (!isAsset(file)) throw new ProblemError(problemFor("not-found", `no docs asset ${file}`));
    return c.body(await assetText(file), 200, {
      "Content-Type": ASSETS[file],
      "Cache-Control": "public, max-age=86400",
    });
  });
