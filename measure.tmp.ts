import { bundleLambda } from "./infra/bundle.ts";
import { API_INSTALL } from "./infra/lambda.ts";
const a = await bundleLambda("packages/api/src/lambda.ts", "/tmp/b/api", API_INSTALL);
const j = await bundleLambda("packages/jobs/src/lambda.ts", "/tmp/b/jobs");
console.log(a.bytes, j.bytes);
