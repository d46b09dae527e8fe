/** Joins take the nearest same-named object: same file, same directory, then upward. */
import { describe, expect, it } from "vitest";
import { closeness, nearest } from "../src/model/nearest.js";

const at = (p: string) => ({ file: { path: p }, p });

describe("nearest", () => {
  const from = at("clusters/prod/coredns/deploy.yaml");
  it("prefers the same file, then the same directory", () => {
    expect(nearest(from, [at("clusters/prod/coredns/rbac.yaml"), at("clusters/prod/coredns/deploy.yaml")])!.p).toBe("clusters/prod/coredns/deploy.yaml");
    expect(nearest(from, [at("clusters/prod/rbac.yaml"), at("clusters/prod/coredns/rbac.yaml")])!.p).toBe("clusters/prod/coredns/rbac.yaml");
  });
  it("walks upward: the parent directory before its other subdirectories, and those before the grandparent", () => {
    expect(nearest(from, [at("clusters/prod/other/rbac.yaml"), at("clusters/prod/rbac.yaml")])!.p).toBe("clusters/prod/rbac.yaml");
    expect(nearest(from, [at("clusters/rbac.yaml"), at("clusters/prod/other/rbac.yaml")])!.p).toBe("clusters/prod/other/rbac.yaml");
    expect(nearest(from, [at("clusters/staging/coredns/rbac.yaml"), at("clusters/prod/x/y/rbac.yaml")])!.p).toBe("clusters/prod/x/y/rbac.yaml");
  });
  it("its own subdirectory comes after its own directory", () => {
    expect(closeness("a/b/x.yaml", "a/b/y.yaml")).toBeGreaterThan(closeness("a/b/x.yaml", "a/b/c/y.yaml"));
    expect(closeness("a/b/x.yaml", "a/b/c/y.yaml")).toBeGreaterThan(closeness("a/b/x.yaml", "a/y.yaml"));
  });
});
