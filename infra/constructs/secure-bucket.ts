// What every Payrail bucket has (no public access, TLS 1.2+ only, kept when its stack is
// deleted), and the one shape of the short-lived operational buckets beside the data.
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

export const SECURE_BUCKET = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies s3.BucketProps;

/** Access logs, query results: S3-managed encryption, objects expire after `days`. */
export function expiringBucket(scope: Construct, id: string, days: number): s3.Bucket {
  return new s3.Bucket(scope, id, {
    ...SECURE_BUCKET,
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ expiration: Duration.days(days) }],
  });
}
