// A world with more or fewer observers than the sandbox gets a majority
// quorum of its own; a scenario's controller.policy.quorum still wins.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/sim/scenario.js";
import { scenarioConfig } from "../../src/sim/sim-config.js";

const quorumOf = (world: string, controller = "") => scenarioConfig(parseScenario(`name: q\nduration: 1h\nworld: ${world}\n${controller}`, "q.yaml"), "q.yaml").policy.quorum;

describe("scenario quorum", () => {
  it("is a majority of the world's observers when their number differs from the sandbox's", () => {
    expect(quorumOf("{ regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }")).toBe(2); // the sandbox's own
    expect(quorumOf("{ regions: [us-east-1, us-west-2, eu-west-1, us-east-2], witness: us-east-2 }")).toBe(3);
    expect(quorumOf("{ regions: [us-east-1, us-west-2, eu-west-1, ap-south-1, us-east-2], witness: us-east-2 }")).toBe(3);
    expect(quorumOf("{ regions: [us-east-1, us-west-2] }")).toBe(2);
  });

  it("leaves an explicit controller.policy.quorum alone", () => {
    expect(quorumOf("{ regions: [us-east-1, us-west-2, eu-west-1, us-east-2], witness: us-east-2 }", "controller: { policy: { quorum: 4 } }\n")).toBe(4);
  });
});
