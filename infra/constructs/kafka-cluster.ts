// The MSK cluster Payrail's events live on. Serverless by default; provisioned (behind the
// `payrail:msk` context switch) adds a customer-managed KMS key for data at rest and broker
// storage autoscaling. Both accept only IAM-authenticated TLS clients (port 9098).
import { Fn, Stack } from "aws-cdk-lib";
import * as appscaling from "aws-cdk-lib/aws-applicationautoscaling";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as msk from "aws-cdk-lib/aws-msk";
import * as cr from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";
import { AWS_CUSTOM_RESOURCE_SINGLETON, acknowledgeSingleton, BASIC_EXECUTION_FINDING } from "../nag";
import type { MskMode } from "../settings";

export const MSK_IAM_PORT = 9098;

export type KafkaClusterProps = {
  clusterName: string;
  mode: MskMode;
  vpc: ec2.IVpc;
  /** Encrypts data at rest (provisioned mode) and the broker logs. */
  key: kms.IKey;
  maxStorageGiB: number;
};

export class KafkaCluster extends Construct {
  readonly clusterArn: string;
  readonly securityGroup: ec2.SecurityGroup;
  /** Comma-separated SASL/IAM bootstrap brokers, resolved at deploy time. */
  readonly bootstrapBrokers: string;

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    // Lambda's MSK pollers run with the cluster's own security group: it must admit itself
    // and reach the Lambda and STS endpoints (through the NAT) to invoke functions.
    this.securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", {
      vpc: props.vpc,
      description: "MSK brokers and Lambda event source pollers: IAM/TLS clients only",
      allowAllOutbound: true,
    });
    this.securityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(MSK_IAM_PORT), "Lambda MSK pollers");
    const subnetIds = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    this.clusterArn =
      props.mode === "serverless" ? this.serverless(props, subnetIds) : this.provisioned(props, subnetIds);
    this.bootstrapBrokers = this.lookUpBootstrapBrokers();
  }

  /** Lets a security group reach the brokers on the IAM/TLS port only. */
  allowClient(client: ec2.ISecurityGroup): void {
    this.securityGroup.addIngressRule(client, ec2.Port.tcp(MSK_IAM_PORT), "Kafka IAM/TLS clients");
  }

  /** `<cluster-name>/<cluster-uuid>`, the part of the ARN that topic and group ARNs share. */
  private get clusterPath(): string {
    return Fn.select(1, Fn.split(":cluster/", this.clusterArn));
  }

  topicArn(topic: string): string {
    const { partition, region, account } = Stack.of(this);
    return `arn:${partition}:kafka:${region}:${account}:topic/${this.clusterPath}/${topic}`;
  }

  groupArn(group: string): string {
    const { partition, region, account } = Stack.of(this);
    return `arn:${partition}:kafka:${region}:${account}:group/${this.clusterPath}/${group}`;
  }

  grantConnect(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
      resourceArns: [this.clusterArn],
    });
  }

  grantRead(grantee: iam.IGrantable, topics: string[], groups: string[]): void {
    this.grantConnect(grantee);
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["kafka-cluster:DescribeClusterDynamicConfiguration"],
      resourceArns: [this.clusterArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      resourceArns: topics.map((t) => this.topicArn(t)),
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
      resourceArns: groups.map((g) => this.groupArn(g)),
    });
  }

  grantWrite(grantee: iam.IGrantable, topics: string[]): void {
    this.grantConnect(grantee);
    iam.Grant.addToPrincipal({
      grantee,
      // The idempotent producer needs WriteDataIdempotently on the cluster.
      actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      resourceArns: topics.map((t) => this.topicArn(t)),
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["kafka-cluster:WriteDataIdempotently"],
      resourceArns: [this.clusterArn],
    });
  }

  private serverless(props: KafkaClusterProps, subnetIds: string[]): string {
    // MSK Serverless always encrypts at rest (with an AWS-owned key: it has no CMK option)
    // and accepts TLS-only IAM clients.
    const cluster = new msk.CfnServerlessCluster(this, "Serverless", {
      clusterName: props.clusterName,
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfigs: [{ subnetIds, securityGroups: [this.securityGroup.securityGroupId] }],
    });
    return cluster.attrArn;
  }

  private provisioned(props: KafkaClusterProps, subnetIds: string[]): string {
    const brokerLogs = new logs.LogGroup(this, "BrokerLogs", {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.key,
    });
    const cluster = new msk.CfnCluster(this, "Provisioned", {
      clusterName: props.clusterName,
      kafkaVersion: "3.6.0",
      numberOfBrokerNodes: subnetIds.length,
      brokerNodeGroupInfo: {
        instanceType: "kafka.m7g.large",
        clientSubnets: subnetIds,
        securityGroups: [this.securityGroup.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
      },
      clientAuthentication: { sasl: { iam: { enabled: true } }, unauthenticated: { enabled: false } },
      encryptionInfo: {
        encryptionAtRest: { dataVolumeKmsKeyId: props.key.keyArn },
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      },
      loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
      enhancedMonitoring: "PER_TOPIC_PER_PARTITION",
    });
    const storage = new appscaling.ScalableTarget(this, "BrokerStorage", {
      serviceNamespace: appscaling.ServiceNamespace.KAFKA,
      scalableDimension: "kafka:broker-storage:VolumeSize",
      resourceId: cluster.attrArn,
      minCapacity: 100,
      maxCapacity: props.maxStorageGiB,
    });
    storage.scaleToTrackMetric("StorageUtilization", {
      predefinedMetric: appscaling.PredefinedMetric.KAFKA_BROKER_STORAGE_UTILIZATION,
      targetValue: 60,
      // MSK cannot shrink broker volumes.
      disableScaleIn: true,
    });
    return cluster.attrArn;
  }

  private lookUpBootstrapBrokers(): string {
    const lookup = new cr.AwsCustomResource(this, "BootstrapBrokers", {
      onUpdate: {
        service: "Kafka",
        action: "GetBootstrapBrokers",
        parameters: { ClusterArn: this.clusterArn },
        physicalResourceId: cr.PhysicalResourceId.of(this.clusterArn),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [this.clusterArn] }),
      installLatestAwsSdk: false,
    });
    acknowledgeSingleton(this, AWS_CUSTOM_RESOURCE_SINGLETON, [
      {
        id: BASIC_EXECUTION_FINDING,
        reason:
          "CDK's AwsCustomResource function only writes its own logs with this policy; it calls kafka:GetBootstrapBrokers on this cluster alone",
      },
    ]);
    return lookup.getResponseField("BootstrapBrokerStringSaslIam");
  }
}
