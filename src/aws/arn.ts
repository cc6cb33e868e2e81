// ARN parsing and building. Regions of Aurora members are read from their
// ARNs (DescribeGlobalClusters does not return a region per member), and the
// IAM policy builder writes ARNs for every resource it grants.

import type { Region } from "../core/index.js";

export interface ParsedArn {
  partition: string;
  service: string;
  /** Empty for global resources (Route 53, IAM, Aurora global clusters). */
  region: string;
  /** Empty for Route 53 resources. */
  account: string;
  /** Everything after the fifth colon, e.g. `cluster:orders-use1`. */
  resource: string;
}

const ARN_PATTERN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

/** Undefined when `text` is not an ARN. */
export function parseArn(text: string): ParsedArn | undefined {
  const m = ARN_PATTERN.exec(text);
  if (!m) return undefined;
  const [, partition, service, region, account, resource] = m;
  if (partition === undefined || service === undefined || region === undefined || account === undefined || resource === undefined) {
    return undefined;
  }
  return { partition, service, region, account, resource };
}

/** The region of a regional ARN (`arn:aws:rds:us-west-2:...`), or undefined when it has none or is not an ARN. */
export function regionOfArn(text: string): Region | undefined {
  const parsed = parseArn(text);
  return parsed && parsed.region !== "" ? parsed.region : undefined;
}

/** The partition a region belongs to: ARNs in China and GovCloud differ from `aws`. */
export function partitionOf(region: Region): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}
