import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { docsRoutes } from "./docs.ts";
import { ProblemError, sendProblem } from "./problem.ts";

const app = new Hono();
app.route("/", docsRoutes);
app.onError((error, c) => {
  if (error instanceof ProblemError) return sendProblem(c, error.problem);
  throw error;
});

const scriptsAndLinks = (html: string) => [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);

describe("/docs", () => {
  it("serves a Swagger UI page that loads everything from this server", async () => {
    const response = await app.request("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(scriptsAndLinks(html)).toEqual([
      "/docs/assets/swagger-ui.css",
      "/docs/assets/swagger-ui-bundle.js",
      "/docs/assets/init.js",
    ]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("points Swagger UI at /openapi.json and at no other host", async () => {
    const response = await app.request("/docs/assets/init.js");
    expect(response.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    const script = await response.text();
    expect(script).toContain('url: "/openapi.json"');
    expect(script).toContain("validatorUrl: null");
    expect(script).not.toMatch(/https?:\/\//);
  });

  it("groups operations by tag in the document's order, with a filter over the tags", async () => {
    const script = await (await app.request("/docs/assets/init.js")).text();
    expect(script).toContain("filter: true");
    expect(script).toContain('docExpansion: "list"');
    // A tagsSorter would reorder the groups away from the order openapi/tags.ts gives them.
    expect(script).not.toContain("tagsSorter");
  });

  it("serves the Swagger UI bundle and stylesheet from swagger-ui-dist", async () => {
    const bundle = await app.request("/docs/assets/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("Content-Type")).toBe("text/javascript; charset=utf-8");
    expect(await bundle.text()).toContain("SwaggerUIBundle");
    const again = await app.request("/docs/assets/swagger-ui-bundle.js");
    expect(again.status).toBe(200);
    const css = await app.request("/docs/assets/swagger-ui.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
  });

  it("serves no other file from the package", async () => {
    for (const path of ["/docs/assets/package.json", "/docs/assets/..%2Fpackage.json", "/docs/assets/index.html"]) {
      const response = await app.request(path);
      expect(response.status).toBe(404);
    }
  });
});
