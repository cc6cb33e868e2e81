// There is no Docker engine on the CI machines, so the image cannot be built
// here. This test checks the properties the image must have by reading the
// Dockerfile; it does not prove the image builds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const lines = readFileSync("Dockerfile", "utf8")
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const stages = lines.reduce<string[][]>((acc, l) => {
  if (l.startsWith("FROM ")) acc.push([]);
  acc.at(-1)?.push(l);
  return acc;
}, []);
const runtime = stages.at(-1) ?? [];

describe("Dockerfile", () => {
  it("is multi-stage on the Node 24 LTS slim image", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s[0]).toMatch(/^FROM node:24-slim\b/);
  });

  it("installs only production dependencies in the runtime stage", () => {
    expect(runtime.some((l) => /npm ci --omit=dev/.test(l))).toBe(true);
    expect(runtime.some((l) => /npm ci(?!.*--omit=dev)/.test(l))).toBe(false);
  });

  it("runs as a non-root user before the entrypoint", () => {
    const userIdx = runtime.findIndex((l) => l.startsWith("USER "));
    expect(userIdx).toBeGreaterThan(-1);
    expect(runtime[userIdx]).not.toMatch(/USER (root|0)\b/);
    expect(userIdx).toBeLessThan(runtime.findIndex((l) => l.startsWith("ENTRYPOINT")));
  });

  it("has the failover entrypoint, the daemon as default command and a /healthz health check", () => {
    // node with the memory flags bench/container.ts measures (it reads them from this line), then the CLI.
    const entrypoint = JSON.parse(runtime.find((l) => l.startsWith("ENTRYPOINT"))!.slice("ENTRYPOINT ".length)) as string[];
    expect(entrypoint[0]).toBe("node");
    expect(entrypoint).toEqual(expect.arrayContaining(["--max-semi-space-size=1", "--optimize-for-size"]));
    expect(entrypoint.at(-1)).toBe("/app/bin/failover.js");
    expect(runtime.find((l) => l.startsWith("CMD"))).toMatch(/^CMD \["daemon"/);
    expect(runtime.find((l) => l.startsWith("HEALTHCHECK"))).toMatch(/\/healthz/);
  });

  it("links the failover binary to the built CLI named in package.json", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { bin: { failover: string } };
    expect(runtime.join("\n")).toContain(`/app/${pkg.bin.failover} /usr/local/bin/failover`);
  });

  it("ships bin/ and dist/ but no src/ in the runtime stage, so bin/failover.js runs the compiled code", () => {
    const copies = runtime.filter((l) => l.startsWith("COPY "));
    expect(copies.some((l) => /^COPY --from=build \/app\/dist \.\/dist$/.test(l))).toBe(true);
    expect(copies.some((l) => /^COPY bin \.\/bin$/.test(l))).toBe(true);
    expect(copies.some((l) => /\bsrc\b/.test(l))).toBe(false);
    // `npm ci --omit=dev` runs lifecycle scripts: a `prepare` build there would need tsc, which is a devDependency.
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    for (const hook of ["prepare", "preinstall", "install", "postinstall"]) expect(pkg.scripts[hook]).toBeUndefined();
  });

  it("keeps build context small and secret-free", () => {
    const ignore = readFileSync(".dockerignore", "utf8");
    for (const entry of ["node_modules", ".git", "dist"]) expect(ignore).toContain(entry);
  });
});
