import { z } from "@hono/zod-openapi";
import { XLSX_TYPE } from "../exports/respond.ts";

/** The media types a spreadsheet comes in, uploaded (a roster, a bank's result file) or handed out (a template, a bank file). */
export const CSV_TYPE = "text/csv";
export { XLSX_TYPE };

/** A request body that is the file itself, CSV or XLSX, as the OpenAPI document describes it. */
export const spreadsheetUpload = {
  required: true,
  content: {
    [CSV_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
    [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
  },
} as const;
