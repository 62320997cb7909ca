/** The monthly rollup lives here: one code path for the AWS cron handler, the CLI and the API. */
export {};
