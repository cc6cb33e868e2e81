// Crash the engine at every journal boundary of the failover runbook, then
// let a new controller (next epoch) resume from the journal: same final AWS
// state, each mutating call at most once per epoch, verify always run.
import { describe, expect, it } from "vitest";
import { ManualClock, MemoryJournal, type JournalEntry } from "../../src/core/index.js";
import { LocalRunbookEngine, type RunbookResult } from "../../src/runbooks/index.js";
import { FakeAws, runbookInput } from "./fake-aws.js";
import { definition, runToEnd } from "./harness.js";

const MUTATING = new Set(["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster", "route53:ChangeResourceRecordSets", "cloudwatch:PutMetricData", "route53-recovery-cluster:UpdateRoutingControlStates"]);

type Strategy = "health-check" | "records" | "routing-control";
/** The failover input for a strategy (routing-control: a control per region and one cluster endpoint). */
const inputFor = (strategy: Strategy) =>
  runbookInput({
    traffic: {
      ...runbookInput().traffic,
      strategy,
      ...(strategy === "routing-control" && {
        targetControlArn: "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/usw2",
        fromControlArn: "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/use1",
        safetyRulesToOverride: [],
        clusterEndpoints: [{ region: "us-west-2", endpoint: "https://host-a.us-west-2.example.com/v1" }],
      }),
    },
  });

/** A journal that "crashes" the process right after its k-th append. */
class CrashingJournal extends MemoryJournal {
  appended = 0;
  armed = true;
  constructor(
    private readonly crashAt: number,
    /** true: the k-th entry is lost with the crash (the step ran, its record did not land). */
    private readonly loseEntry: boolean,
    private readonly onCrash: () => void,
  ) {
    super();
  }
  override async append(entry: JournalEntry): Promise<void> {
    const crash = this.armed && ++this.appended === this.crashAt;
    if (!(crash && this.loseEntry)) await super.append(entry);
    if (crash) {
      this.onCrash();
      return new Promise(() => undefined); // the process is gone: nothing after this runs
    }
  }
}

async function crashThenResume(strategy: Strategy, crashAfter: number, loseEntry: boolean) {
  const input = inputFor(strategy);
  const aws = new FakeAws(input);
  const clock = new ManualClock(0);
  let abort = () => undefined as void;
  const journal = new CrashingJournal(crashAfter, loseEntry, () => abort());
  const first = new LocalRunbookEngine({ adapters: aws.adapters(), clock, journal });
  const exec = first.run("failover", definition("failover"), input);
  abort = exec.abort;
  let firstResult: RunbookResult | undefined;
  void exec.result.then((r) => (firstResult = r));
  for (let i = 0; i < 400 && !firstResult && journal.appended < crashAfter; i++) await clock.advance(5_000);
  await clock.advance(0);
  const crashed = journal.appended >= crashAfter;
  // A new controller took the lease: epoch 2, the same journal (minus the crash hook).
  aws.epoch = 2;
  const callsBefore = aws.calls.length;
  journal.armed = false;
  const resumed = await runToEnd("failover", { ...input, epoch: 2 }, { aws, clock, journal });
  return { aws, crashed, firstResult, resumed: resumed.result, resumedCalls: aws.calls.slice(callsBefore), allCalls: aws.calls };
}

describe("failover runbook: crash at every boundary, resume from the journal", () => {
  const reference = async (strategy: Strategy) => (await runToEnd("failover", inputFor(strategy))).aws;

  it.each([
    ["health-check", false],
    ["health-check", true],
    ["records", false],
    ["records", true],
    ["routing-control", false],
    ["routing-control", true],
  ] as const)("%s (entry lost with the crash: %s): every crash point resumes to the same final state", async (strategy, loseEntry) => {
    const ref = await reference(strategy);
    // Every journal append is a state boundary: crash after each one in turn.
    const journal = new MemoryJournal();
    await runToEnd("failover", inputFor(strategy), { journal });
    const boundaries = (await journal.read("inc-1")).length;
    expect(boundaries).toBeGreaterThan(20);
    for (let k = 1; k <= boundaries; k++) {
      {
        const { aws, crashed, resumed, resumedCalls, allCalls } = await crashThenResume(strategy, k, loseEntry);
        expect(crashed).toBe(true);
        expect(resumed.status).toBe("succeeded");
        expect(aws.writerArn).toBe(ref.writerArn);
        expect(aws.killSwitch).toEqual(ref.killSwitch);
        expect(aws.controls).toEqual(ref.controls);
        expect(aws.activeRegion).toBe("us-west-2");
        // FailoverGlobalCluster is never sent twice, whatever the crash point.
        expect(allCalls.filter((c) => c.call === "rds:FailoverGlobalCluster")).toHaveLength(1);
        // Each mutating call at most once per epoch: the resumed run (epoch 2) repeats none twice.
        // The target's kill switch is the exception by design: set early (clients leave the old
        // region while Aurora promotes) and refreshed once the writer is confirmed, the same value
        // twice; the final switches are checked against the reference above.
        const mutating = resumedCalls.filter((c) => MUTATING.has(c.call) && !(c.call === "cloudwatch:PutMetricData" && c.region === "us-west-2")).map((c) => `${c.call}@${c.region}`);
        expect(new Set(mutating).size).toBe(mutating.length);
        // The verify step always runs after the resume: the last topology read follows the flip.
        expect(resumedCalls.at(-3)?.call, `crash after entry ${k}`).toBe("rds:DescribeGlobalClusters");
      }
    }
  });
});
