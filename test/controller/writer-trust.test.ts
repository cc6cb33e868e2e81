// Which writer a controller acts on when regions' RDS APIs disagree or only
// one answers. An old primary Aurora could not fence may keep naming itself
// the writer; trusted, it reads as "already the writer, nothing to lose" and
// a failover to it drops what the real writer took since.
import { describe, expect, it } from "vitest";
import { WriterMemory, trustedWriter, writerDisputed } from "../../src/controller/writer-trust.js";
import type { AuroraTopology } from "../../src/probes/index.js";

const topo = (claims: Record<string, string>, writerRegion: string, writerConfirmed: boolean): AuroraTopology => ({
  writerRegion, writerConfirmed, writerClaims: claims, writerAgreed: false, failoverInProgress: false, answering: Object.keys(claims),
});
const none = new Set<string>();

describe("trustedWriter", () => {
  it("trusts a writer another region confirms, whatever this controller remembers", () => {
    const t = topo({ "us-east-1": "us-west-2", "us-west-2": "us-west-2" }, "us-west-2", true);
    expect(trustedWriter(t, "us-east-1", undefined, new Set(["us-west-2"]))).toBe("us-west-2");
  });

  it("trusts a lone self-claim it has no reason to doubt (the new writer answers alone after its promotion)", () => {
    expect(trustedWriter(topo({ "us-west-2": "us-west-2" }, "us-west-2", false), "us-east-1", undefined, none)).toBe("us-west-2");
  });

  it("does not trust a self-claim by a writer it saw replaced, even as its incident's target", () => {
    const t = topo({ "us-east-1": "us-east-1" }, "us-east-1", false);
    expect(trustedWriter(t, "us-west-2", "us-east-1", new Set(["us-east-1"]))).toBeUndefined();
    // Without that memory (the broken variant) the stale claim would win.
    expect(trustedWriter(t, "us-west-2", "us-east-1", none)).toBe("us-east-1");
  });

  it("between two self-claims: its own promotion's target, then the active region unless replaced, else nobody", () => {
    const t = topo({ "us-east-1": "us-east-1", "us-west-2": "us-west-2" }, "us-east-1", false);
    expect(trustedWriter(t, "us-east-1", "us-west-2", none)).toBe("us-west-2");
    expect(trustedWriter(t, "us-west-2", undefined, new Set(["us-east-1"]))).toBe("us-west-2");
    // Clients still sent to a replaced old primary: the region that replaced it is the writer.
    expect(trustedWriter(t, "us-east-1", undefined, new Set(["us-east-1"]))).toBe("us-west-2");
    expect(trustedWriter(t, "eu-west-1", undefined, none)).toBeUndefined();
  });

  it("keeps a hand-built topology without claims as it is", () => {
    expect(trustedWriter({ writerRegion: "us-west-2", failoverInProgress: false, answering: [] }, "us-east-1", undefined, new Set(["us-west-2"]))).toBe("us-west-2");
  });

  it("calls two different named writers a dispute, one named by all none", () => {
    expect(writerDisputed(topo({ "us-east-1": "us-east-1", "us-west-2": "us-west-2" }, "us-east-1", false))).toBe(true);
    expect(writerDisputed(topo({ "us-east-1": "us-west-2", "us-west-2": "us-west-2" }, "us-west-2", true))).toBe(false);
    expect(writerDisputed(undefined)).toBe(false);
  });
});

describe("WriterMemory", () => {
  const alone = (r: string) => topo({ [r]: r }, r, false);

  it("remembers a writer replaced (a new writer read, or the active region moved) and drops the lag kept under it", () => {
    const m = new WriterMemory();
    expect(m.noteRead("us-east-1", "us-east-1", 0)).toBe(false);
    // A new writer: the readings kept under the old one no longer hold, and the old one is replaced.
    expect(m.noteRead("us-west-2", "us-west-2", 10_000)).toBe(true);
    expect(m.trusted(alone("us-east-1"), "us-west-2", undefined, undefined)).toBeUndefined();
    const other = new WriterMemory();
    other.activeMoved("us-east-1", "us-west-2");
    expect(other.trusted(alone("us-east-1"), "us-west-2", "us-east-1", undefined)).toBeUndefined();
  });

  it("counts the control record's replaced region, unless Aurora was seen promoting it", () => {
    const m = new WriterMemory();
    expect(m.trusted(alone("us-east-1"), "us-west-2", undefined, "us-east-1")).toBeUndefined();
    m.notePromotion({ ...alone("us-east-1"), promotingTo: "us-east-1" });
    expect(m.trusted(alone("us-east-1"), "us-west-2", undefined, "us-east-1")).toBe("us-east-1");
  });

  it("a named writer it does not take drops the kept lag and the recent writer", () => {
    const m = new WriterMemory();
    m.noteRead("us-west-2", "us-west-2", 0);
    expect(m.recent(60_000, 90_000)).toBe("us-west-2");
    expect(m.noteRead(undefined, "us-east-1", 70_000)).toBe(true);
    expect(m.recent(70_000, 90_000)).toBeUndefined();
    m.noteRead("us-west-2", "us-west-2", 80_000);
    expect(m.recent(200_000, 90_000)).toBeUndefined();
  });
});
