// The world both finishing tests run: the primary lost at 5 min, the real
// controllers, and a hook on every DynamoDB call before the world sees it
// (to hold back, or drop, one step of a finished run's bookkeeping).
import type { MiddlewareStack } from "@smithy/types";
import { never } from "../../src/sim/middleware.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const outage = (name: string) => `name: ${name}
duration: 30m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 5m, until: 28m, kind: region-outage, region: us-east-1 }
`;

/** Called before the world sees a DynamoDB call from `region`'s controller: "drop" means the call never completes (its process is gone). */
export type DynamoHook = (region: string, command: string, input: Record<string, unknown>, session: SimSession) => Promise<"pass" | "drop">;

export function outageSession(name: string, hook: DynamoHook): SimSession {
  // The middleware reads `session` only when a call is made, after the constructor returned.
  const session: SimSession = new SimSession(parseScenario(outage(name), `${name}.yaml`), {
    controller: realController,
    decorate: (region) => (client, service) => {
      if (service !== "dynamodb") return;
      (client.middlewareStack as MiddlewareStack<object, object>).add(
        (next, context) => async (args) => {
          const command = String((context as { commandName?: string }).commandName);
          if ((await hook(region, command, args.input as Record<string, unknown>, session)) === "drop") return never();
          return next(args);
        },
        { step: "initialize", priority: "high", name: "finishingHook" },
      );
    },
  });
  return session;
}
