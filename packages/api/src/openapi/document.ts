import { TAGS } from "./tags.ts";

/**
 * The document's own fields (the operations come from the routes). `servers` names the API that
 * served the document first, as a relative URL: the deployed stage's URL is known only once
 * `sst deploy` prints it (`api`), and a relative server resolves against wherever /openapi.json
 * was read, deployed or local. The second is `npm start` on its default PORT.
 */
export const DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "relief-ledger",
    version: "1",
    license: { name: "MIT", identifier: "MIT" },
    description: [
      "A hash-chained journal of a union federation's relief funds. Amounts are decimal strings; errors are RFC 9457 problems (application/problem+json), each operation listing the problem types it may answer by status.",
      "",
      "Large CSV exports of a deployed stage are streamed from its `exports` URL (a Lambda function URL, same paths and token); through the API, an export past 4 MB is a 422 export-too-large problem naming that URL.",
    ].join("\n"),
  },
  servers: [
    { url: "/", description: "The API that served this document (deployed: the `api` URL that `sst deploy` prints)" },
    { url: "http://127.0.0.1:3000", description: "`npm start` on its default PORT (it listens on 127.0.0.1)" },
  ],
  tags: TAGS.map((tag) => ({ ...tag })),
};
