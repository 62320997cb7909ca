import { secureHeaders } from "hono/secure-headers";

/**
 * `X-Content-Type-Options: nosniff` on every response: a browser must take a CSV export, a JSON
 * answer or a problem for what its Content-Type says, never sniff it into HTML or script.
 *
 * Hono's secureHeaders sets a dozen headers by default; each of the others is a decision of its
 * own (HSTS on the deployed domain, Cross-Origin-* policies that change who may load the
 * dashboard, /docs and /openapi.json, X-Frame-Options for a dashboard a portal may frame), so
 * every one is off here and only nosniff is on (tests/api-headers.test.ts checks that none of
 * them is sent, so a default Hono adds later shows up there).
 */
export const securityHeaders = secureHeaders({
  xContentTypeOptions: true,
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  removePoweredBy: false,
  permissionsPolicy: {},
});
