// WAF in front of the GraphQL API: AWS managed rule groups plus two rate limits, one per
// client IP and one per API token (the Authorization header), so a single leaked or
// misbehaving token is throttled even when it is spread over many IPs.
import { ArnFormat, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { wafLogGroupName } from "../naming";

export type GraphqlWebAclProps = {
  name: string;
  resourceArn: string;
  /** Requests per 5-minute window. */
  perIpLimit: number;
  perTokenLimit: number;
};

const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
];

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

export class GraphqlWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: GraphqlWebAclProps) {
    super(scope, id);
    const managed: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, priority) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
      visibilityConfig: visibility(name),
    }));
    const rateLimits: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: "RatePerIp",
        priority: managed.length,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: props.perIpLimit, aggregateKeyType: "IP" } },
        visibilityConfig: visibility("RatePerIp"),
      },
      {
        name: "RatePerToken",
        priority: managed.length + 1,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: props.perTokenLimit,
            aggregateKeyType: "CUSTOM_KEYS",
            customKeys: [
              { header: { name: "authorization", textTransformations: [{ priority: 0, type: "NONE" }] } },
            ],
          },
        },
        visibilityConfig: visibility("RatePerToken"),
      },
    ];
    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      name: props.name,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [...managed, ...rateLimits],
      visibilityConfig: visibility(props.name),
    });
    new wafv2.CfnWebACLAssociation(this, "Association", {
      resourceArn: props.resourceArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF requires the `aws-waf-logs-` prefix; the token header is redacted from the logs.
    const logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: wafLogGroupName(props.name),
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, "Logging", {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: "logs",
          resource: "log-group",
          resourceName: logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: "authorization" } }],
    });
  }
}
