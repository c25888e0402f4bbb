// The one platform secret (PAYRAIL_SECRET) every service derives its keys from: vault
// encryption, payload hashes, page tokens (consumers/platform/secrets.ts). It is
// generated in Secrets Manager under a customer-managed key and reaches the functions as
// an environment variable encrypted with that key.
import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as kms from "aws-cdk-lib/aws-kms";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { kmsAlias, platformSecretName } from "../naming";

export class PlatformSecrets extends Construct {
  readonly key: kms.Key;
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { envName: string }) {
    super(scope, id);
    this.key = new kms.Key(this, "Key", {
      alias: kmsAlias(props.envName, "platform"),
      description: "Payrail platform secret and Lambda environments",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.secret = new secretsmanager.Secret(this, "Secret", {
      secretName: platformSecretName(props.envName),
      description: "Root secret the services derive vault, hashing and page-token keys from",
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The vault's encryption key is derived from this secret: rotating it would make stored card tokens undecryptable, so rotation is a planned re-encryption, not a schedule",
    });
  }

  /** A CloudFormation dynamic reference: the value is resolved at deploy time, never synthesized. */
  secretValue(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }
}
