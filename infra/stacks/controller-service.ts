// The controller of one region as an ECS Fargate service: one task of the
// project's image, its config from an SSM parameter (never baked into the
// image), logs with a retention, a container health check on /healthz, and
// the user's own network (VPC and subnets from the config; nothing created
// but a security group with no ingress at all).

import { CfnCluster, CfnService, CfnTaskDefinition } from "aws-cdk-lib/aws-ecs";
import { CfnSecurityGroup } from "aws-cdk-lib/aws-ec2";
import { CfnRole } from "aws-cdk-lib/aws-iam";
import { CfnLogGroup } from "aws-cdk-lib/aws-logs";
import { CfnParameter as SsmParameter } from "aws-cdk-lib/aws-ssm";
import { createHash } from "node:crypto";
import { RemovalPolicy } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { forRegion, resourceNames, type Config } from "../../src/config/index.js";
import { acknowledge } from "../nag.js";

export interface ControllerServiceProps {
  config: Config;
  region: string;
  partition: string;
  /** The config as compact JSON, the value of the SSM parameter. */
  configJson: string;
  controllerRoleArn: string;
}

const HTTP_PORT = 8080;
/** Standard parameters hold 4 KB; larger configs need the advanced tier (billed monthly). */
const SSM_STANDARD_MAX_BYTES = 4096;
const CONFIG_PATH = "/tmp/failover-config.json";

export function addControllerService(scope: Construct, props: ControllerServiceProps): CfnService {
  const { config, region, partition } = props;
  const deploy = config.deploy;
  const network = deploy?.network[region];
  if (!deploy || !network) throw new Error(`no deploy.network.${region} (checked before synthesis)`);
  const names = resourceNames(config);
  const account = config.accountId;
  // `{region}` lets each region pull from its own registry replica.
  const image = forRegion(deploy.image, region);

  const parameter = new SsmParameter(scope, "ConfigParameter", {
    name: names.configParameter,
    type: "String",
    tier: Buffer.byteLength(props.configJson) > SSM_STANDARD_MAX_BYTES ? "Advanced" : "Standard",
    value: props.configJson,
    description: `failover config of ${config.application} (compact JSON of the validated file)`,
  });
  const parameterArn = `arn:${partition}:ssm:${region}:${account}:parameter${names.configParameter}`;

  const logGroupName = `/failover/${config.application}/controller`;
  const logGroup = new CfnLogGroup(scope, "LogGroup", { logGroupName, retentionInDays: deploy.logRetentionDays });
  // Logs hold incident timelines an operator reads after the fact: keep them past a stack deletion.
  logGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const logGroupArn = `arn:${partition}:logs:${region}:${account}:log-group:${logGroupName}`;

  const approvals = deploy.approvals;
  const tokenArn = approvals && `arn:${partition}:ssm:${region}:${account}:parameter${approvals.tokenParameter}`;
  const securityGroup = new CfnSecurityGroup(scope, "SecurityGroup", {
    vpcId: network.vpcId,
    groupDescription: approvals
      ? `failover controller of ${config.application}: ingress ${HTTP_PORT} from the approvers networks only; egress HTTPS (AWS APIs) and the probe ports`
      : `failover controller of ${config.application}: no ingress; egress HTTPS (AWS APIs) and the probe ports`,
    ...(approvals && {
      securityGroupIngress: approvals.allowFrom.map((cidrIp) => ({
        ipProtocol: "tcp",
        fromPort: HTTP_PORT,
        toPort: HTTP_PORT,
        cidrIp,
        description: "failover approve/reject and /status (bearer token required)",
      })),
    }),
    securityGroupEgress: egressPorts(config).map((port) => ({
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      cidrIp: "0.0.0.0/0",
      description: port === 443 ? "AWS APIs and HTTPS probes" : "HTTP probes of the config",
    })),
  });

  const executionRole = new CfnRole(scope, "ExecutionRole", {
    description: `ECS agent of the failover controller in ${region}: pull the image, write logs, read the config parameter`,
    assumeRolePolicyDocument: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `arn:${partition}:ecs:${region}:${account}:*` } },
        },
      ],
    },
    policies: [{ policyName: "failover-task-execution", policyDocument: executionPolicy(image, logGroupArn, [parameterArn, ...(tokenArn ? [tokenArn] : [])], partition) }],
  });
  if (ecrRepositoryArn(image, partition)) {
    acknowledge(executionRole, {
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: "ecr:GetAuthorizationToken has no resource type: IAM requires Resource \"*\" (the image pull itself is scoped to the repository)",
    });
  }
  acknowledge(executionRole, {
    id: `AwsSolutions-IAM5[Resource::${logGroupArn}:*]`,
    reason: "log stream names are created by the ECS agent per task; the grant is limited to streams of this one log group",
  });

  const cluster = new CfnCluster(scope, "Cluster", { clusterName: names.service });
  acknowledge(cluster, {
    id: "AwsSolutions-ECS4",
    reason: "one task per region: the controller publishes its own metrics (controller.metricsNamespace, /metrics); Container Insights would bill per-task metrics that add nothing",
  });

  const taskDefinition = new CfnTaskDefinition(scope, "TaskDefinition", {
    family: names.service,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: "256",
    memory: "512",
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: deploy.cpuArchitecture },
    executionRoleArn: executionRole.attrArn,
    taskRoleArn: props.controllerRoleArn,
    containerDefinitions: [
      {
        name: "controller",
        image,
        essential: true,
        // The image's unprivileged user (node, uid 1000), stated so a rebuilt image cannot make it root.
        user: "1000",
        // The daemon reads a file: write the parameter's value to /tmp (the
        // image's only world-writable place), then exec so the daemon replaces
        // the shell and receives ECS's SIGTERM itself.
        entryPoint: ["/bin/sh", "-c"],
        command: [
          `printf '%s' "$FAILOVER_CONFIG" > ${CONFIG_PATH} && exec failover daemon --config ${CONFIG_PATH} --region ${region} --port ${HTTP_PORT}${approvals ? " --host 0.0.0.0" : ""}`,
        ],
        // The API token comes from your SecureString parameter at task start: never in a template.
        secrets: [{ name: "FAILOVER_CONFIG", valueFrom: parameterArn }, ...(tokenArn ? [{ name: "FAILOVER_API_TOKEN", valueFrom: tokenArn }] : [])],
        // ECS reads the parameter only when a task starts: a config change
        // changes this label, hence the task definition, hence rolls the task.
        dockerLabels: { "failover.config-sha256": createHash("sha256").update(props.configJson).digest("hex") },
        healthCheck: {
          command: ["CMD", "node", "-e", `fetch('http://127.0.0.1:${HTTP_PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
          interval: 15,
          timeout: 5,
          retries: 3,
          startPeriod: 30,
        },
        // SIGTERM: finish or journal the step in flight and release the lease (the CLI contract says within 10 s).
        stopTimeout: 15,
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": "controller" },
        },
      },
    ],
  });
  taskDefinition.addResourceDependency(logGroup);
  taskDefinition.addResourceDependency(parameter);

  const service = new CfnService(scope, "Service", {
    serviceName: names.service,
    cluster: cluster.ref,
    taskDefinition: taskDefinition.ref,
    launchType: "FARGATE",
    desiredCount: 1,
    // One controller per region: a deployment stops the old task before the
    // new one starts (the lease would fence two, but two would double the
    // heartbeats and probes for nothing).
    deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0, deploymentCircuitBreaker: { enable: true, rollback: true } },
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: network.subnetIds,
        securityGroups: [securityGroup.attrGroupId],
        assignPublicIp: network.assignPublicIp ? "ENABLED" : "DISABLED",
      },
    },
    enableExecuteCommand: false,
    propagateTags: "SERVICE",
  });
  return service;
}

/** HTTPS for the AWS APIs, plus every port an http probe of the config calls. */
export function egressPorts(config: Config): number[] {
  const ports = new Set<number>([443]);
  for (const p of config.probes) {
    if (p.kind !== "http") continue;
    const url = new URL(p.url.replaceAll("{region}", "region"));
    ports.add(url.port !== "" ? Number(url.port) : url.protocol === "http:" ? 80 : 443);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The repository ARN of a private ECR image, undefined for other registries. */
export function ecrRepositoryArn(image: string, partition: string): string | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  return m ? `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

function executionPolicy(image: string, logGroupArn: string, parameterArns: string[], partition: string): Record<string, unknown> {
  const repository = ecrRepositoryArn(image, partition);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${logGroupArn}:*`] },
      { Sid: "ReadConfig", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: parameterArns },
      ...(repository
        ? [
            { Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] },
            { Sid: "PullImage", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [repository] },
          ]
        : []),
    ],
  };
}
