/**
 * How the dashboard writes numbers. Money arrives from the API as decimal strings ("1051100.00")
 * and is written from the string, digit by digit: it is never parsed into a float, so no amount
 * is ever shown rounded or off by a fen.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** `"1051100.00"` → `"¥1,051,100.00"`; `"-12.5"` → `"-¥12.5"`. Anything else is shown as it came. */
export function formatYuan(amount: string | null | undefined): string {
  if (amount === null || amount === undefined) return "—";
  const match = DECIMAL.exec(amount);
  if (!match) return amount;
  const [, sign, whole = "0", fraction] = match;
  const digits = whole.replace(/^0+(?=\d)/, "");
  const negative = sign === "-" && /[1-9]/.test(digits + (fraction ?? ""));
  return `${negative ? "-" : ""}¥${group(digits)}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** A whole number with thousands separators: 1300 → "1,300". */
export const formatCount = (count: number | null | undefined): string =>
  count === null || count === undefined ? "—" : group(String(count));

/** A decimal string as a whole number of its smallest unit, with the scale it had. */
export function toMinor(amount: string): { minor: bigint; scale: number } {
  const match = DECIMAL.exec(amount);
  if (!match) throw new Error(`not a decimal amount: ${amount}`);
  const [, sign, whole = "0", fraction = ""] = match;
  const minor = BigInt(whole + fraction);
  return { minor: sign === "-" ? -minor : minor, scale: fraction.length };
}

/** Minor units back to a decimal string of `scale` digits after the point. */
export function fromMinor(minor: bigint, scale: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, "0");
  const whole = scale === 0 ? digits : digits.slice(0, -scale);
  return `${negative ? "-" : ""}${whole}${scale === 0 ? "" : `.${digits.slice(-scale)}`}`;
}

/** The sum of decimal strings, exact, at the largest scale among them (2 when there are none). */
export function sumDecimals(amounts: readonly string[]): string {
  const parsed = amounts.map(toMinor);
  const scale = parsed.reduce((widest, { scale }) => Math.max(widest, scale), amounts.length === 0 ? 2 : 0);
  const total = parsed.reduce((sum, { minor, scale: own }) => sum + minor * 10n ** BigInt(scale - own), 0n);
  return fromMinor(total, scale);
}

/** Whole days from one business date to a later one (`YYYY-MM-DD`); undefined when either is not a date. */
export function daysBetween(from: string, to: string): number | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!day.test(from) || !day.test(to) || Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return Math.round((end - start) / 86_400_000);
}

/** The start of a SHA-256 hex hash, enough to tell entries apart on a screen. */
export const shortHash = (hash: string): string => (hash.length > 16 ? `${hash.slice(0, 16)}…` : hash);

/**
 * An instant (the API's UTC `recordedAt`, a checkpoint's `at`) as a wall-clock time in the book's
 * time zone, with the zone's name in the reader's language: "2010-03-01 10:00:00（中国标准时间）",
 * "2010-03-01 10:00:00 (China Standard Time)". What is not an instant, or a zone ICU does not
 * know, is shown as it came.
 */
export function formatInstant(iso: string, timeZone: string, lang: "zh-CN" | "en"): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  try {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(at);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
    const zone = zoneName(timeZone, lang, at);
    const wall = `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")}`;
    return lang === "en" ? `${wall} (${zone})` : `${wall}（${zone}）`;
  } catch {
    return iso;
  }
}

/** A time zone's name in the reader's language at an instant ("中国标准时间"); the zone's id when ICU has none. */
export function zoneName(timeZone: string, lang: "zh-CN" | "en", at = new Date()): string {
  try {
    return (
      new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: "long" })
        .formatToParts(at)
        .find((p) => p.type === "timeZoneName")?.value ?? timeZone
    );
  } catch {
    return timeZone;
  }
}

/** A currency's name in the reader's language ("人民币", "Chinese Yuan"); its code when ICU has none. */
export function currencyName(code: string, lang: "zh-CN" | "en"): string {
  try {
    return new Intl.DisplayNames(lang, { type: "currency" }).of(code) ?? code;
  } catch {
    return code;
  }
}
