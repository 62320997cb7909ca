/// <reference path="./infra/sst-globals.d.ts" />

export default $config({
  app(input) {
    return {
      name: "relief-ledger",
      home: "aws",
      removal: input?.stage === "prod" ? "retain" : "remove",
      protect: input?.stage === "prod",
    };
  },
  async run() {
    // Dynamic imports: SST's globals exist only inside run().
    const { createStorage } = await import("./infra/storage.ts");
    const storage = createStorage($app.stage);
    return { journalTable: storage.journal.name, stateTable: storage.state.name };
  },
});
