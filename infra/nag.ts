// cdk-nag (AwsSolutions pack) runs on every synthesis as a CDK validation
// plugin: a finding that is neither fixed nor acknowledged fails `synth`.
// Acknowledgements are written next to the resource they cover, through
// `acknowledge` below, so each one carries its reason in the code and the
// list in docs/infra.md can be checked against them.

import { Validations, type App } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { AwsSolutionsChecks } from "cdk-nag";
import type { PolicyDocument } from "../src/aws/index.js";

/** Registers the AwsSolutions checks on every stack of `app`. */
export function addSecurityChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

export interface Acknowledgement {
  /** Rule id, with the finding for rules that report one per item: `AwsSolutions-IAM5[Resource::*]`. */
  id: string;
  reason: string;
}

/** App context key: `false` leaves every finding unacknowledged (tests use it to see what the checks catch). */
export const ACKNOWLEDGE_CONTEXT = "failover:acknowledgeFindings";

export function acknowledge(scope: IConstruct, ...items: Acknowledgement[]): void {
  if (scope.node.tryGetContext(ACKNOWLEDGE_CONTEXT) === false) return;
  for (const item of items) Validations.of(scope).acknowledge(item);
}

/** Why a resource pattern is as narrow as it gets, where the generator writes no note. */
const PATTERN_REASONS: Readonly<Record<string, string>> = {
  StepFunctionsRunbooks: "the state machines are the config's runbooks, named <stateMachinePrefix>-<runbook>, in each app region",
  StepFunctionsRunbookExecutions: "execution names are incident ids, known only when an incident starts; the state machine part is the config's prefix",
};

/**
 * IAM5 findings of a generated policy: one per wildcard resource, with the
 * generator's own reason for it (the `notes` of buildIamPolicies), so the
 * reason shown to a reviewer is the one the policy was built with.
 */
export function wildcardAcknowledgements(doc: PolicyDocument, notes: readonly string[]): Acknowledgement[] {
  const out = new Map<string, Acknowledgement>();
  for (const st of doc.Statement) {
    for (const resource of st.Resource.filter((r) => r.includes("*"))) {
      const note = notes.find((n) => st.Action.some((a) => n.includes(a))) ?? "";
      out.set(resource, {
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason: `${st.Sid} (${st.Action.join(", ")}): ${note || PATTERN_REASONS[st.Sid] || "the narrowest resource IAM allows for these actions"}`,
      });
    }
  }
  return [...out.values()];
}
