import { randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import packagedChromium from "@sparticuz/chromium";
import { type Browser, chromium, type Page } from "playwright-core";

/** Where screenshots go (git-ignored): look at them to see what an auditor sees. */
export const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

/** The repository's node_modules, where npm put the browser and its fonts. */
export const NODE_MODULES = join(import.meta.dirname, "..", "..", "node_modules");

const packageDir = (name: string) => {
  const root = join(NODE_MODULES, ...name.split("/"));
  if (!existsSync(join(root, "package.json"))) throw new Error(`${name} is not under ${NODE_MODULES}: run npm ci`);
  return root;
};
const CHROMIUM_PACKAGE = packageDir("@sparticuz/chromium");
/** The package's version: its major is the Chromium major it ships. */
export const CHROMIUM_VERSION: string = JSON.parse(
  readFileSync(join(CHROMIUM_PACKAGE, "package.json"), "utf8"),
).version;
/** Noto Sans SC (the variable font, as WOFF2 slices): the Chinese labels' glyphs, since a bare machine has none. */
const NOTO_SANS_SC = join(packageDir("@fontsource-variable/noto-sans-sc"), "files");

/**
 * Where the Chromium shipped (Brotli-compressed) in `@sparticuz/chromium` is unpacked: under
 * node_modules, one folder per version of the package, rather than the package's own `/tmp/chromium`,
 * which any other checkout on the machine may have filled with another version, or left half-written.
 */
export const UNPACKED = join(NODE_MODULES, ".cache", `relief-ledger-chromium-${CHROMIUM_VERSION}`);

/**
 * The browser the tests drive: the Chromium from `npm ci` (nothing to install by hand, and
 * Playwright cannot download one here), or another executable named by LEDGER_CHROMIUM.
 */
export const CHROMIUM_OVERRIDE = process.env.LEDGER_CHROMIUM;

/**
 * Unpacks the package's Chromium (with its SwiftShader libraries and Open Sans) into a fresh folder,
 * then moves the whole folder into place, so that a folder in place is always complete. The package
 * unpacks into `os.tmpdir()`, read synchronously when `executablePath()` is called: TMPDIR names the
 * staging folder for that call only, and the path it answers is checked.
 */
async function unpackChromium(): Promise<string> {
  const executable = join(UNPACKED, "chromium");
  if (existsSync(join(UNPACKED, "fonts.conf"))) return executable;
  const staging = `${UNPACKED}.${randomUUID()}`;
  mkdirSync(staging, { recursive: true });
  try {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    let unpacked: Promise<string>;
    try {
      unpacked = packagedChromium.executablePath();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    if ((await unpacked) !== join(staging, "chromium") || !existsSync(join(staging, "libGLESv2.so"))) {
      throw new Error(`@sparticuz/chromium ${CHROMIUM_VERSION} did not unpack into ${staging}`);
    }
    await unpackFonts(join(staging, "fonts", "noto-sans-sc"));
    writeFileSync(join(staging, "fonts.conf"), fontsConf(UNPACKED));
    try {
      renameSync(staging, UNPACKED);
    } catch (error) {
      // Another test file unpacked it at the same time: keep theirs.
      if (!existsSync(join(UNPACKED, "fonts.conf"))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}

/** fontconfig reads TrueType, not WOFF2: the slices of Noto Sans SC are decompressed once, with wawoff2. */
async function unpackFonts(into: string): Promise<void> {
  const decompress: (woff2: Uint8Array) => Promise<Uint8Array> = createRequire(import.meta.url)(
    "wawoff2/decompress.js",
  );
  mkdirSync(into, { recursive: true });
  for (const name of readdirSync(NOTO_SANS_SC).filter((file) => file.endsWith(".woff2"))) {
    const ttf = await decompress(readFileSync(join(NOTO_SANS_SC, name)));
    writeFileSync(join(into, name.replace(/\.woff2$/, ".ttf")), ttf);
  }
}

/**
 * The only fonts the browser sees: the package's Open Sans and Noto Sans SC, whatever the machine
 * has (a bare machine has none), so the Chinese labels are drawn and screenshots look the same everywhere.
 */
const fontsConf = (dir: string) => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, "fonts", "fonts")}</dir>
  <dir>${join(dir, "fonts", "noto-sans-sc")}</dir>
  <cachedir>${join(dir, "fontconfig-cache")}</cachedir>
</fontconfig>
`;

export type Recorded = { readonly method: string; readonly url: string };

/**
 * A headless Chromium with one page, and every request that page makes, recorded in order, so
 * that a test can say what the page asked of the server (and that it asked nothing of anyone else).
 * `executable` is the program launched.
 */
export async function openBrowser(): Promise<{
  browser: Browser;
  page: Page;
  requests: Recorded[];
  executable: string;
}> {
  if (CHROMIUM_OVERRIDE !== undefined && !existsSync(CHROMIUM_OVERRIDE)) {
    throw new Error(`no Chromium at ${CHROMIUM_OVERRIDE} (LEDGER_CHROMIUM)`);
  }
  const executable = CHROMIUM_OVERRIDE ?? (await unpackChromium());
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: executable,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    env: {
      ...process.env,
      ...(CHROMIUM_OVERRIDE === undefined ? { FONTCONFIG_FILE: join(UNPACKED, "fonts.conf") } : {}),
    },
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  const requests: Recorded[] = [];
  page.on("request", (request) => requests.push({ method: request.method(), url: request.url() }));
  return { browser, page, requests, executable };
}

/** The executables of this process's child processes, as the kernel reports them (Linux). */
export function childExecutables(): string[] {
  const children: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === process.pid) children.push(readlinkSync(`/proc/${pid}/exe`));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return children;
}

/** Saves a full-page screenshot under tests/artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
