import { keyPolicyFor } from "./key-policy.ts";
/**
 * The key that protects beneficiaries' bank accounts in the registry (packages/store/src/data-key.ts):
 * a symmetric KMS key used for envelope encryption. The API asks KMS for a data key
 * (kms:GenerateDataKey), seals each account's fields with it (AES-256-GCM) and keeps the data key
 * beside them only as KMS encrypted it; opening one asks KMS to decrypt the data key (kms:Decrypt).
 * Every call carries the encryption context `purpose = relief-ledger/personal-data`, which the
 * grants require. A copy of the state table (a backup, an export, a leaked read role) opens nothing
 * without kms:Decrypt on this key.
 */
export type DataKey = { readonly arn: SstInput<string>; readonly id: SstInput<string> };

/** What every data-key call must say it is for (DATA_KEY_CONTEXT in the store). */
export const DATA_KEY_PURPOSE = "relief-ledger/personal-data";

export function createDataKey(stage: string): DataKey {
  return new aws.kms.Key("DataKey", {
    description: `relief-ledger ${stage}: seals beneficiaries' bank accounts (envelope encryption)`,
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    keyUsage: "ENCRYPT_DECRYPT",
    // KMS keeps every old version of the key material, so values sealed before a rotation still open.
    enableKeyRotation: true,
    // Deleting it loses every sealed account: a month to notice and cancel.
    deletionWindowInDays: 30,
  });
}

/** The environment of the one function that seals and opens accounts (dataKeyFromEnv). */
export const dataKeyEnvironment = (key: DataKey) => ({ LEDGER_DATA_KEY_ID: key.arn });

const purpose = [{ test: "StringEquals", variable: "kms:EncryptionContext:purpose", values: [DATA_KEY_PURPOSE] }];

/**
 * ALLOW, to the Api function alone: seal (setting an account, importing a roster with accounts)
 * and open (the disbursement file, which the Api function serves: it journals its download).
 */
export const useDataKey = (key: DataKey): SstPermission => ({
  actions: ["kms:GenerateDataKey", "kms:Decrypt"],
  resources: [key.arn],
  conditions: purpose,
});

/** DENY, on every other role: nothing that reads for auditors or runs a job ever opens an account. */
export const denyDataKey = (key: DataKey): SstPermission => ({
  effect: "deny",
  actions: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
  resources: [key.arn],
});

/**
 * The key's policy: the account administers it through IAM, as in the default policy, except
 * Decrypt, denied to every principal but the Api function's role, so that no later grant or link
 * hands account numbers to another function or a person.
 */
export const dataKeyPolicy = (accountId: SstInput<string>, apiRoleArn: SstInput<string>) =>
  keyPolicyFor(accountId, { sid: "OnlyTheApiOpensAccounts", action: "kms:Decrypt", roleArn: apiRoleArn });
