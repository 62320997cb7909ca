/**
 * A KMS key policy that keeps one use of the key to one role: the account administers the key and
 * grants its use through IAM, as in the default policy, except `action`, denied to every principal
 * but `roleArn`, so that no later IAM policy, grant or link hands it to another function or a person.
 * Changing it (kms:PutKeyPolicy) is an administrator's act, logged in CloudTrail.
 */
export const keyPolicyFor = (
  accountId: SstInput<string>,
  { sid, action, roleArn }: { sid: string; action: string; roleArn: SstInput<string> },
) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AccountAdministersTheKeyThroughIam",
      Effect: "Allow",
      Principal: { AWS: accountId },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: sid,
      Effect: "Deny",
      Principal: "*",
      Action: action,
      Resource: "*",
      Condition: { ArnNotEquals: { "aws:PrincipalArn": roleArn } },
    },
  ],
});
