/** Excel reads a UTF-8 CSV as UTF-8 (and shows Chinese names) only when it starts with a BOM. */
export const CSV_BOM = "\uFEFF";

export type CsvValue = string | number | boolean | undefined | null;

/** One RFC 4180 row: fields quoted when they hold a comma, quote or line break; CRLF at the end. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values
    .map((value) => {
      const text = value === undefined || value === null ? "" : String(value);
      // A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
      const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
      return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
    })
    .join(",")}\r\n`;
}

/**
 * A CSV response streamed page by page: the BOM and the header, then each page's rows as it is
 * read, so that a large export never holds the whole book in memory.
 */
export function csvStream(
  header: readonly string[],
  pages: AsyncIterable<readonly (readonly CsvValue[])[]>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(header)));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export const csvHeaders = (filename: string) => ({
  "Content-Type": "text/csv; charset=utf-8",
  "Content-Disposition": `attachment; filename="${filename}"`,
});
