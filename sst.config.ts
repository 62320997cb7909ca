/// <reference path="./infra/sst-globals.d.ts" />

export default $config({
  app(input) {
    // The same stages as isProduction in infra/storage.ts (app() runs before any import is allowed).
    const production = input?.stage === "prod" || input?.stage === "production";
    return {
      name: "relief-ledger",
      home: "aws",
      // Production keeps its tables if the stack is removed, and refuses `sst remove` outright.
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    // Dynamic imports: SST's globals exist only inside run().
    const { createStorage } = await import("./infra/storage.ts");
    const { createCheckpoints } = await import("./infra/checkpoint.ts");
    const { createApi } = await import("./infra/api.ts");
    const { createDataKey } = await import("./infra/data-key.ts");
    const { createRollup } = await import("./infra/rollup.ts");
    const { createExpiry } = await import("./infra/expiry.ts");
    const { createVerify } = await import("./infra/verify.ts");
    const { observeEveryFunction } = await import("./infra/observability.ts");
    const { createAlerts } = await import("./infra/alerts.ts");
    // First: every function made after it is traced and knows its stage.
    observeEveryFunction($app.stage);
    const tables = createStorage($app.stage);
    const checkpoints = createCheckpoints(tables, $app.stage);
    const dataKey = createDataKey($app.stage);
    const { api, writer, reader, exporter } = createApi(tables, checkpoints, dataKey);
    const rollup = createRollup(tables, checkpoints);
    const expiry = createExpiry(tables, checkpoints);
    const verify = createVerify(tables, checkpoints);
    const functions = {
      Api: writer,
      ApiRead: reader,
      ApiExport: exporter,
      Rollup: rollup.job,
      Checkpoint: checkpoints.job,
      Expiry: expiry.job,
      Verify: verify.job,
    };
    const alerts = createAlerts({
      stage: $app.stage,
      tables,
      apiId: api.nodes.api.id,
      functions,
      daily: { Rollup: rollup.job, Expiry: expiry.job, Verify: verify.job },
      deadLetters: rollup.deadLetters,
    });
    return {
      api: api.url,
      // The same GET routes, streamed: for CSV exports larger than a buffered response's 6 MB.
      exports: exporter.url,
      journalTable: tables.journal.name,
      stateTable: tables.state.name,
      // Where the signed checkpoints are, and the key whose public half checks them
      // (`aws kms get-public-key --key-id <checkpointKey>`, or GET /v1/checkpoint-key).
      checkpointBucket: checkpoints.bucket.name,
      checkpointKey: checkpoints.key.arn,
      // Seals beneficiaries' bank accounts; only the Api function may use it.
      dataKey: dataKey.arn,
      // Where the alarms go (mailed to the stage's AlertEmail) and where a failed rollup's event lands.
      alerts: alerts.topic.arn,
      rollupDeadLetters: rollup.deadLetters.url,
    };
  },
});
