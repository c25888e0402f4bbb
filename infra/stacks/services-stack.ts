// The pipeline's Kafka consumers (config/pipeline.yaml): one Lambda per consumer, one MSK
// event source mapping per consumed topic with its `.dlq` twin as on-failure destination,
// alarms on errors, offset lag and records sent to the DLQ, and one dashboard. Also the
// outbox relay: a function run once a minute by an EventBridge rule that publishes events
// requests wrote to a payment's outbox but never published (consumers/outbox-relay), the
// webhook sender, and the authorization sweeper (consumers/auth-sweeper), which cancels
// MANUAL-capture authorizations past their window.
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sources from "aws-cdk-lib/aws-lambda-event-sources";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";
import type { ConsumerConfig, PipelineConfig } from "../../core/config";
import { dlqTopicOf } from "../../core/config";
import { PayrailService } from "../constructs/payrail-service";
import { nagEnv } from "../nag";
import { consumerGroupId, kmsAlias, payrailName } from "../naming";
import type { PayrailSettings } from "../settings";
import type { ApiStack } from "./api-stack";
import type { StreamingStack } from "./streaming-stack";

export type ServicesStackProps = StackProps & {
  settings: PayrailSettings;
  pipeline: PipelineConfig;
  streaming: StreamingStack;
  api: ApiStack;
};

/** Records behind the head of a partition before someone should look. */
const OFFSET_LAG_ALARM = 1000;

export const OUTBOX_RELAY = {
  id: "OutboxRelay",
  service: "outbox-relay",
  entry: "consumers/outbox-relay/handler.ts",
  /** EventBridge's finest rate; events wait at least PAYRAIL_IN_PROGRESS_MS before a sweep takes them. */
  every: Duration.minutes(1),
} as const;

/** The webhook sender (consumers/webhook-send): delivers recorded webhook deliveries. */
export const WEBHOOK_SEND = {
  id: "WebhookSend",
  service: "webhook-send",
  entry: "consumers/webhook-send/handler.ts",
  every: Duration.minutes(1),
} as const;

/** The authorization sweeper (consumers/auth-sweeper): expired authorizations become CANCELED. */
export const AUTH_SWEEPER = {
  id: "AuthSweeper",
  service: "auth-sweeper",
  entry: "consumers/auth-sweeper/handler.ts",
  /** Authorization windows are days long (config/regions): minutes late is soon enough. */
  every: Duration.minutes(5),
} as const;

/** A scheduled function: its construct id, service name and rate. */
type ScheduledSpec = { id: string; service: string; every: Duration };

export class ServicesStack extends Stack {
  readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm notifies this topic (and the `payrail:alarmEmail` address, when given). */
  readonly alarmTopic: sns.Topic;
  /** The scheduled outbox relay's function and the rule that runs it. */
  readonly outboxRelay: { function: lambda.IFunction; schedule: events.Rule };
  /** The scheduled webhook sender's function and the rule that runs it. */
  readonly webhookSend: { function: lambda.IFunction; schedule: events.Rule };
  /** The scheduled authorization sweeper's function and the rule that runs it. */
  readonly authSweeper: { function: lambda.IFunction; schedule: events.Rule };

  private readonly envName: string;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { envName, alarmEmail } = props.settings;
    this.envName = envName;
    const key = new kms.Key(this, "AlarmKey", {
      alias: kmsAlias(envName, "alarms"),
      description: "Payrail alarm notifications",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch publishes alarm state changes into the encrypted topic.
    key.grant(new iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    this.alarmTopic = new sns.Topic(this, "Alarms", {
      topicName: payrailName(envName, "alarms"),
      masterKey: key,
      enforceSSL: true,
    });
    if (alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: payrailName(envName),
    });
    this.dashboard.addWidgets(...apiWidgets(props.api.graphql.api.apiId));
    for (const consumer of props.pipeline.consumers) this.consumer(consumer, props);
    this.outboxRelay = this.relay(props);
    this.webhookSend = this.webhookSender(props);
    this.authSweeper = this.authorizationSweeper(props);
  }

  /**
   * The authorization sweeper: one sweep over every tenant each five minutes, one at a
   * time (reserved concurrency 1), no Lambda retry (the next sweep is the retry; a repeated
   * sweep emits nothing new). It runs the API's cancellation write, so it holds the platform
   * secret as the API functions do, produces only to the topic PaymentCanceled goes to, and
   * reaches a tenant's tables only through that tenant's `auth-sweeper` role.
   */
  private authorizationSweeper(props: ServicesStackProps): {
    function: lambda.IFunction;
    schedule: events.Rule;
  } {
    const { settings, streaming } = props;
    const { function: svc } = new PayrailService(this, AUTH_SWEEPER.id, {
      envName: settings.envName,
      root: settings.root,
      service: AUTH_SWEEPER.service,
      entry: AUTH_SWEEPER.entry,
      streaming,
      platform: props.api.platform,
      reservedConcurrency: 1,
    });
    const schedule = this.schedule(
      svc.fn,
      AUTH_SWEEPER,
      "Cancels MANUAL-capture authorizations past their window",
    );
    this.failedRunsAlarm(
      svc.fn,
      AUTH_SWEEPER,
      "auth-sweeper: sweeps that failed for at least one tenant (its log names the tenant); expired authorizations stay AUTHORIZED (captures are refused) until a sweep succeeds",
    );
    return { function: svc.fn, schedule };
  }

  /** Runs `fn` every `spec.every`; neither Lambda nor EventBridge retries past the next run. */
  private schedule(fn: lambda.Function, spec: ScheduledSpec, description: string): events.Rule {
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: spec.every });
    return new events.Rule(this, `${spec.id}Schedule`, {
      ruleName: payrailName(this.envName, spec.service),
      description,
      schedule: events.Schedule.rate(spec.every),
      // EventBridge retries only a failed hand-over to Lambda, and never past the next run.
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: spec.every })],
    });
  }

  /** Alarms on failed runs of a scheduled function and shows them on the dashboard. */
  private failedRunsAlarm(fn: lambda.Function, spec: ScheduledSpec, description: string): void {
    const errors = fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" });
    this.alarm(`${spec.id}-Errors`, {
      alarmName: payrailName(this.envName, spec.service, "errors"),
      alarmDescription: description,
      metric: errors,
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `${spec.service} failed runs`, left: [errors], width: 12 }),
    );
  }

  /**
   * The webhook sender: each minute one invocation (reserved concurrency 1) runs the
   * dispatcher for 15 s and lets its POSTs finish; a delivery it could not finish is leased,
   * not lost, and the next invocation retries it. It needs the platform secret (to unseal
   * signing secrets) and reaches each tenant's webhook tables through that tenant's
   * `webhook-send` role (infra/tenant-access.ts); it produces to no topic.
   */
  private webhookSender(props: ServicesStackProps): { function: lambda.IFunction; schedule: events.Rule } {
    const { settings, streaming } = props;
    const { envName } = settings;
    const { function: svc } = new PayrailService(this, WEBHOOK_SEND.id, {
      envName,
      root: settings.root,
      service: WEBHOOK_SEND.service,
      entry: WEBHOOK_SEND.entry,
      streaming,
      platform: props.api.platform,
      reservedConcurrency: 1,
      environment: { PAYRAIL_WEBHOOK_RUN_MS: "15000" },
    });
    const schedule = this.schedule(
      svc.fn,
      WEBHOOK_SEND,
      "Delivers recorded webhook deliveries to partners' endpoints",
    );
    this.failedRunsAlarm(
      svc.fn,
      WEBHOOK_SEND,
      "webhook-send: runs that failed to read or record deliveries (its log names the tenant)",
    );
    return { function: svc.fn, schedule };
  }

  /**
   * The outbox relay: one sweep over every tenant per minute. One sweep at a time
   * (reserved concurrency 1), no Lambda retry of a failed sweep and no delivery older than
   * a minute: the next scheduled sweep is the retry. It produces only to the topics the
   * outbox writers produce to, reads no control plane, holds no platform secret, and
   * reaches a tenant's payments table only through that tenant's `outbox-relay` role
   * (infra/tenant-access.ts).
   */
  private relay(props: ServicesStackProps): { function: lambda.IFunction; schedule: events.Rule } {
    const { settings, streaming } = props;
    const { envName } = settings;
    const { function: svc } = new PayrailService(this, OUTBOX_RELAY.id, {
      envName,
      root: settings.root,
      service: OUTBOX_RELAY.service,
      entry: OUTBOX_RELAY.entry,
      streaming,
      platform: props.api.platform,
      platformSecret: false,
      reservedConcurrency: 1,
    });
    const schedule = this.schedule(
      svc.fn,
      OUTBOX_RELAY,
      "Publishes events left in payment outboxes by requests that died before publishing",
    );
    this.failedRunsAlarm(
      svc.fn,
      OUTBOX_RELAY,
      "outbox-relay: sweeps that failed for at least one tenant (its log names the tenant); unpublished events wait on the payment rows",
    );
    return { function: svc.fn, schedule };
  }

  private consumer(consumer: ConsumerConfig, props: ServicesStackProps): void {
    const { settings, streaming } = props;
    const { envName } = settings;
    const { function: svc } = new PayrailService(this, `Consumer-${consumer.name}`, {
      envName,
      root: settings.root,
      service: consumer.name,
      entry: consumer.handler,
      streaming,
      platform: props.api.platform,
      controlPlane: props.api.controlTable,
      reservedConcurrency: consumer.reservedConcurrency,
      environment: {
        PAYRAIL_CONSUMER: consumer.name,
        PAYRAIL_GRAPHQL_URL: props.api.graphql.api.graphqlUrl,
      },
    });
    Validations.of(svc).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:${nagEnv(this).partition}:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole]`,
      reason:
        "Attached by the MSK event source mapping: the Lambda pollers need it to describe the cluster and manage ENIs in its VPC; topic and group access is granted separately, per topic",
    });
    if (consumer.name === "execution") props.api.processorHealthTable.grantReadWriteData(svc.role);
    const groups = consumer.topics.map((topic) => consumerGroupId(envName, consumer.name, topic));
    streaming.cluster.grantRead(svc.role, consumer.topics, groups);
    // Lambda writes failed records to the DLQ twin with the function's role.
    streaming.cluster.grantWrite(svc.role, consumer.topics.map(dlqTopicOf));
    if (consumer.name === "status") props.api.graphql.api.grantMutation(svc.role, "publishPaymentUpdate");

    const widgets: cloudwatch.IWidget[] = [];
    const errors = svc.fn.metricErrors({ period: Duration.minutes(1), statistic: "Sum" });
    this.alarm(`${consumer.name}-Errors`, {
      alarmName: payrailName(envName, consumer.name, "errors"),
      alarmDescription: `${consumer.name}: function errors (batches retried, then sent to the DLQ)`,
      metric: errors,
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const offsetLag = svc.fn.metric("OffsetLag", { period: Duration.minutes(1), statistic: "Maximum" });
    this.alarm(`${consumer.name}-OffsetLag`, {
      alarmName: payrailName(envName, consumer.name, "offset-lag"),
      alarmDescription: `${consumer.name}: consumer falls behind its topics`,
      metric: offsetLag,
      threshold: OFFSET_LAG_ALARM,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const dlqMetrics: cloudwatch.IMetric[] = [];
    for (const topic of consumer.topics) {
      const source = new sources.ManagedKafkaEventSource({
        clusterArn: streaming.cluster.clusterArn,
        topic,
        consumerGroupId: consumerGroupId(envName, consumer.name, topic),
        batchSize: consumer.batchSize,
        // Whole seconds, as config/pipeline.yaml's validation ensures.
        maxBatchingWindow: Duration.seconds(consumer.batchWindowMs / 1000),
        startingPosition:
          consumer.startingPosition === "LATEST"
            ? lambda.StartingPosition.LATEST
            : lambda.StartingPosition.TRIM_HORIZON,
        retryAttempts: consumer.maxRetries,
        // As the local runner does: a handler throws, the batch is retried and bisected.
        bisectBatchOnError: true,
        onFailure: new sources.KafkaDlq(dlqTopicOf(topic)),
        // Kafka destinations and retry settings need provisioned pollers.
        provisionedPollerConfig: {
          minimumPollers: 1,
          maximumPollers: Math.max(1, consumer.reservedConcurrency),
        },
        metricsConfig: {
          metrics: [
            lambda.MetricType.EVENT_COUNT,
            lambda.MetricType.ERROR_COUNT,
            lambda.MetricType.KAFKA_METRICS,
          ],
        },
      });
      svc.fn.addEventSource(source);
      const delivered = new cloudwatch.Metric({
        namespace: "AWS/Lambda",
        metricName: "OnFailureDestinationDeliveredEventCount",
        dimensionsMap: { EventSourceMappingUUID: source.eventSourceMappingId },
        statistic: "Sum",
        period: Duration.minutes(5),
        label: `${topic} → ${dlqTopicOf(topic)}`,
      });
      dlqMetrics.push(delivered);
      this.alarm(`${consumer.name}-${topic}-Dlq`, {
        alarmName: payrailName(envName, consumer.name, topic, "dlq"),
        alarmDescription: `${consumer.name}: records of ${topic} sent to ${dlqTopicOf(topic)}; replay with the payrail dlq CLI`,
        metric: delivered,
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    widgets.push(
      new cloudwatch.GraphWidget({ title: `${consumer.name} errors`, left: [errors], width: 8 }),
      new cloudwatch.GraphWidget({ title: `${consumer.name} offset lag`, left: [offsetLag], width: 8 }),
      new cloudwatch.GraphWidget({ title: `${consumer.name} sent to DLQ`, left: dlqMetrics, width: 8 }),
    );
    this.dashboard.addWidgets(...widgets);
  }

  private alarm(id: string, props: cloudwatch.AlarmProps): void {
    new cloudwatch.Alarm(this, id, props).addAlarmAction(new actions.SnsAction(this.alarmTopic));
  }
}

/** The edge at the top of the dashboard: requests, errors and latency of the GraphQL API. */
function apiWidgets(apiId: string): cloudwatch.IWidget[] {
  const metric = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({
      namespace: "AWS/AppSync",
      metricName,
      dimensionsMap: { GraphQLAPIId: apiId },
      statistic,
      period: Duration.minutes(1),
    });
  return [
    new cloudwatch.GraphWidget({
      title: "API errors",
      left: [metric("4XXError", "Sum"), metric("5XXError", "Sum")],
      width: 12,
    }),
    new cloudwatch.GraphWidget({ title: "API latency (p99)", left: [metric("Latency", "p99")], width: 12 }),
  ];
}
