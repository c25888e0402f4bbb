// Creates the planned topics (from config/pipeline.yaml) on the cluster at deploy time.
// The plan is a resource property, so a config change (a new topic, a bigger range)
// updates the resource and the handler creates or grows what is missing.
import { type CfnElement, CustomResource, Duration, Stack, Validations } from "aws-cdk-lib";
import type * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as cr from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";
import type { TopicSpec } from "../../core/config";
import type { KafkaCluster } from "./kafka-cluster";
import { ServiceFunction } from "./service-function";

export type KafkaTopicsProps = {
  envName: string;
  root: string;
  cluster: KafkaCluster;
  plan: TopicSpec[];
  network: { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup };
};

/** The service name of the topic handler (its execution role is `payrail-<env>-svc-topics`). */
export const TOPICS_SERVICE = "topics";

export class KafkaTopics extends Construct {
  constructor(scope: Construct, id: string, props: KafkaTopicsProps) {
    super(scope, id);
    const { fn } = new ServiceFunction(this, "Handler", {
      envName: props.envName,
      root: props.root,
      service: TOPICS_SERVICE,
      entry: "infra/runtime/topics-handler.ts",
      timeout: Duration.minutes(5),
      network: props.network,
    });
    props.cluster.grantConnect(fn);
    const names = props.plan.map((t) => props.cluster.topicArn(t.name));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          "kafka-cluster:CreateTopic",
          "kafka-cluster:DescribeTopic",
          "kafka-cluster:AlterTopic",
          "kafka-cluster:DescribeTopicDynamicConfiguration",
          "kafka-cluster:AlterTopicDynamicConfiguration",
        ],
        resources: names,
      }),
    );
    const provider = new cr.Provider(this, "Provider", { onEventHandler: fn });
    const handlerId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement);
    const framework = Validations.of(provider);
    framework.acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      reason: "CDK's custom resource framework function only writes its own logs with this policy",
    });
    framework.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
      reason: "The framework function may invoke the topic handler's versions (`<arn>:*`), nothing else",
    });
    framework.acknowledge({
      id: "AwsSolutions-L1",
      reason: "CDK's custom resource framework chooses its own runtime; it runs only during deployments",
    });
    new CustomResource(this, "Topics", {
      serviceToken: provider.serviceToken,
      resourceType: "Custom::PayrailKafkaTopics",
      properties: { Brokers: props.cluster.bootstrapBrokers, Topics: JSON.stringify(props.plan) },
    });
  }
}
