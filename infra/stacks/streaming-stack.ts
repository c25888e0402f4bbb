// Network and event streaming: the VPC the services run in, the MSK cluster, and the
// pipeline's topics created from config/pipeline.yaml.
import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { PipelineConfig } from "../../core/config";
import { topicPlan } from "../../core/config";
import { KafkaCluster } from "../constructs/kafka-cluster";
import { KafkaTopics } from "../constructs/kafka-topics";
import { kmsAlias, payrailName } from "../naming";
import type { PayrailSettings } from "../settings";

export type StreamingStackProps = StackProps & { settings: PayrailSettings; pipeline: PipelineConfig };

export class StreamingStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly cluster: KafkaCluster;
  /** Security group of every Lambda that talks to Kafka; the brokers admit it on 9098. */
  readonly clientSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: StreamingStackProps) {
    super(scope, id, props);
    const { envName } = props.settings;
    const key = new kms.Key(this, "StreamingKey", {
      alias: kmsAlias(envName, "streaming"),
      description: "Payrail MSK data at rest, broker and VPC flow logs",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the broker and flow logs with this key.
    key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`));

    const flowLogs = new logs.LogGroup(this, "FlowLogs", {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: key,
    });
    this.vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 3,
      natGateways: 1,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
      gatewayEndpoints: {
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
    });

    this.cluster = new KafkaCluster(this, "Kafka", {
      clusterName: payrailName(envName),
      mode: props.settings.msk,
      vpc: this.vpc,
      key,
      maxStorageGiB: props.settings.mskMaxStorageGiB,
    });
    this.clientSecurityGroup = new ec2.SecurityGroup(this, "KafkaClients", {
      vpc: this.vpc,
      description: "Payrail services that produce to or consume from MSK",
      allowAllOutbound: true,
    });
    this.cluster.allowClient(this.clientSecurityGroup);

    new KafkaTopics(this, "Topics", {
      envName,
      root: props.settings.root,
      cluster: this.cluster,
      plan: topicPlan(props.pipeline),
      network: { vpc: this.vpc, securityGroup: this.clientSecurityGroup },
    });
  }
}
