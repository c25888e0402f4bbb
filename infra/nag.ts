// cdk-nag AwsSolutions checks over the whole app: any unacknowledged finding interrupts
// synthesis. Every acknowledgement names the finding and says why it is accepted; most
// sit next to the construct that causes them, the shared ones are here.
import { type Acknowledgment, type App, Stack, Token, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { Construct } from "constructs";

export const BASIC_EXECUTION_FINDING =
  "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]";

/** Construct ids of CDK's stack-level singleton functions. */
export const AWS_CUSTOM_RESOURCE_SINGLETON = "AWS679f53fac002430cb0da5b7982bd2287";
const LOG_RETENTION_SINGLETON = "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a";

/**
 * How cdk-nag spells the stack's partition, region and account inside finding ids:
 * `<AWS::Region>` while deploy-time, the literal once `cdk` knows the environment.
 */
export function nagEnv(scope: Construct): { partition: string; region: string; account: string } {
  const stack = Stack.of(scope);
  const spell = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return {
    partition: spell(stack.partition, "Partition"),
    region: spell(stack.region, "Region"),
    account: spell(stack.account, "AccountId"),
  };
}

export function checkCompliance(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/** Acknowledges findings on a CDK singleton function of `scope`'s stack, and only there. */
export function acknowledgeSingleton(scope: Construct, singletonId: string, acks: Acknowledgment[]): void {
  const singleton = Stack.of(scope).node.tryFindChild(singletonId);
  if (!singleton) throw new Error(`no ${singletonId} singleton in ${Stack.of(scope).stackName}`);
  for (const ack of acks) Validations.of(singleton).acknowledge(ack);
}

/** CDK's LogRetention function, which sets the retention of log groups a service creates itself. */
export function acknowledgeLogRetention(scope: Construct): void {
  acknowledgeSingleton(scope, LOG_RETENTION_SINGLETON, [
    {
      id: BASIC_EXECUTION_FINDING,
      reason: "CDK's LogRetention function only writes its own logs with this policy",
    },
    {
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "LogRetention sets retention on log groups created by AppSync, whose names are unknown until deploy",
    },
  ]);
}
