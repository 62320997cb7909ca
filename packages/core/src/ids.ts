import { z } from "zod";

/**
 * Identifiers chosen by people (book, fund, programme, unit ids) are short slugs, so that they
 * read well in URLs, CSV exports and DynamoDB keys, and can never contain a key separator.
 */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens, starting with a letter or digit");

export const BookId = Slug;
export const FundId = Slug;

/** A calendar date that exists: 2010-02-29 is refused, 2012-02-29 is not. */
export const isCalendarDate = (text: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** A business date, YYYY-MM-DD, in the book's time zone. */
export const BusinessDate = z.string().refine(isCalendarDate, "must be a date written YYYY-MM-DD");

/** A period is a calendar month, YYYY-MM. */
export const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM");

export const periodOf = (date: string): string => date.slice(0, 7);

/** An IANA time zone that this runtime knows. */
export const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Asia/Shanghai");

/** One formatter per time zone: building an Intl.DateTimeFormat costs more than an append's decide. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date at an instant in a time zone: "today" in the book's zone. */
export const localDate = (timeZone: string, at: Date): string => {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
};
