// How the simulated world sits behind the real SDK v3 clients: a middleware
// added to every client the production factory (createAwsAdapters) builds.
// It answers each command from the world, so the adapters, their error
// mapping and the runbooks run unchanged on top.
//
// Two answer points (reference/aws-apis.md, "Where a simulated answer can
// enter an SDK v3 client"; both measured in `npm run bench`):
//   - "initialize" (default, ~15 us a call): before serialization; the
//     SDK's retries do not run, so a throttled call fails at once and the
//     caller's own retry policy is what gets exercised;
//   - "finalizeRequest": after serialization, signing and the retry
//     middleware, so a thrown ThrottlingException is retried by the SDK's
//     standard retry strategy (whose backoff uses real timers: tests that
//     use it run under fake timers or with a small maxAttempts).

import type {
  FinalizeHandlerArguments,
  FinalizeHandlerOutput,
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  InitializeMiddleware,
  MetadataBearer,
} from "@smithy/types";
import { createAwsAdapters, type AwsAdaptersHandle, type AwsServiceName, type ClientDecorator } from "../aws/index.js";
import type { Region } from "../core/index.js";
import type { Input } from "./world/call-context.js";
import type { World } from "./world/world.js";

export type AnswerPoint = "initialize" | "finalizeRequest";

/**
 * Which world answers. A binding can be re-pointed at a new world between
 * scenarios, so a sweep builds its SDK clients once (a client costs ~0.6 ms
 * to construct, more than a whole simulated scenario's worth of calls).
 */
export interface WorldBinding {
  world: World | undefined;
}

export interface SimDecoratorOptions {
  answerAt?: AnswerPoint;
  /** False once the calling process crashed: its calls never complete. */
  alive?: () => boolean;
}

export const SIM_CREDENTIALS = { accessKeyId: "AKIASIMULATEDWORLD00", secretAccessKey: "simulated-world-not-a-secret" };

const MIDDLEWARE_NAME = "failoverSimulatedWorld";

/** The `decorate` hook for createAwsAdapters: every client it builds answers from the world. */
export function simDecorator(target: World | WorldBinding, callerRegion: Region, opts: SimDecoratorOptions = {}): ClientDecorator {
  const answerAt = opts.answerAt ?? "initialize";
  const alive = opts.alive ?? (() => true);
  const worldOf = (): World => {
    const w = "core" in target ? target : target.world;
    if (!w) throw new Error("simulated world binding is empty: no scenario is running");
    return w;
  };
  return (client, service: AwsServiceName, region: Region) => {
    const answer = async (input: unknown, context: HandlerExecutionContext): Promise<MetadataBearer> => {
      const command = String((context as { commandName?: unknown }).commandName ?? "").replace(/Command$/, "");
      const input_ = (typeof input === "object" && input !== null ? input : {}) as Input;
      return (await worldOf().call({ service, region, callerRegion, command, input: input_, alive })) as MetadataBearer;
    };
    if (answerAt === "initialize") {
      const mw: InitializeMiddleware<object, MetadataBearer> =
        (_next, context) =>
        async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<MetadataBearer>> =>
          // No HTTP exchange happens at this step: the SDK reads only `output`.
          ({ output: await answer(args.input, context) }) as InitializeHandlerOutput<MetadataBearer>;
      client.middlewareStack.add(mw, { step: "initialize", priority: "low", name: MIDDLEWARE_NAME, override: true });
    } else {
      const mw: FinalizeRequestMiddleware<object, MetadataBearer> =
        (_next, context) =>
        async (args: FinalizeHandlerArguments<object>): Promise<FinalizeHandlerOutput<MetadataBearer>> => ({
          output: await answer(args.input, context),
          response: { statusCode: 200, headers: {} },
        });
      client.middlewareStack.add(mw, { step: "finalizeRequest", priority: "low", name: MIDDLEWARE_NAME, override: true });
    }
  };
}

/** Production adapters (real SDK clients) answered by the world, as seen from `callerRegion`. */
export function createSimAdapters(target: World | WorldBinding, callerRegion: Region, opts: SimDecoratorOptions & { maxAttempts?: number } = {}): AwsAdaptersHandle {
  return createAwsAdapters({
    env: {},
    credentials: SIM_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? (opts.answerAt === "finalizeRequest" ? 3 : 1),
    decorate: simDecorator(target, callerRegion, opts),
  });
}
