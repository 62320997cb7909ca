import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { CLIENT_SCRIPT } from "./client.ts";

describe("the dashboard's script", () => {
  it("is valid JavaScript on its own, needing nothing from a bundle", () => {
    expect(() => new Script(CLIENT_SCRIPT, { filename: "dashboard.js" })).not.toThrow();
    expect(CLIENT_SCRIPT.trim().startsWith("(function () {")).toBe(true);
  });

  it("can only read: it never sets a request method, so every fetch is a GET", () => {
    expect(CLIENT_SCRIPT).not.toMatch(/method\s*:/i);
    expect(CLIENT_SCRIPT).not.toMatch(/XMLHttpRequest|sendBeacon|\/v1\//);
  });
});
