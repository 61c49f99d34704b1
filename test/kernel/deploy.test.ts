/**
 * The image recipe and the Kubernetes manifests (Containerfile, .containerignore, deploy/).
 *
 * - The manifests validate against the Kubernetes OpenAPI schema as shipped by `kubernetes-models`
 *   (its per-resource `validate()`, ajv underneath; nothing is downloaded). That schema does not
 *   refuse unknown fields (the API server does, with field validation), so the fields this test
 *   relies on are also read back explicitly.
 * - The Job's grid is read from its args with the sweep's own parser and checked against the
 *   notebook: `completions` must equal the grid size, and every index maps to a point.
 * - The image builds where a container engine is installed (podman, buildah, or docker with a
 *   reachable engine); elsewhere that test is skipped with the reason.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { Job } from "kubernetes-models/batch/v1";
import { PersistentVolumeClaim } from "kubernetes-models/v1";
import { parseSweepCommandLine } from "../../kernel/bin/sweep";
import { repoRoot } from "../../kernel/jupyter";
import { checkGrid, gridPoint, gridSize } from "../../kernel/sweep";

/** A manifest document as YAML gives it (read by path below; the schema check is `validate`). */
type Manifest = Record<string, any>;

function documents(file: string): Manifest[] {
  return parseAllDocuments(fs.readFileSync(path.join(repoRoot, file), "utf8")).map((d) => {
    assert.deepEqual(d.errors, [], `${file} parses as YAML`);
    return d.toJS() as Manifest;
  });
}

/** Validates one document with its kubernetes-models class; throws the schema's message. */
function validate(doc: Manifest): void {
  if (doc.apiVersion === "batch/v1" && doc.kind === "Job") new Job(doc as never).validate();
  else if (doc.apiVersion === "v1" && doc.kind === "PersistentVolumeClaim") new PersistentVolumeClaim(doc as never).validate();
  else assert.fail(`unexpected resource ${doc.apiVersion} ${doc.kind}`);
}

const jobDocs = documents("deploy/sweep-job.yaml");
const collectDocs = documents("deploy/sweep-collect.yaml");
const job = jobDocs.find((d) => d.kind === "Job")!;
const claim = jobDocs.find((d) => d.kind === "PersistentVolumeClaim")!;

describe("Kubernetes manifests", () => {
  it("deploy/sweep-job.yaml and sweep-collect.yaml validate against the Kubernetes schema (kubernetes-models)", () => {
    assert.deepEqual(jobDocs.map((d) => d.kind), ["PersistentVolumeClaim", "Job"]);
    assert.deepEqual(collectDocs.map((d) => d.kind), ["Job"]);
    for (const doc of [...jobDocs, ...collectDocs]) validate(doc);
  });

  it("the schema check can fail: a wrong completionMode, a string count or a container without a name is refused", () => {
    const broken = (edit: (d: Manifest) => void): Manifest => {
      const copy = structuredClone(job);
      edit(copy);
      return copy;
    };
    assert.throws(() => validate(broken((d) => { d.spec.completionMode = "Indexd"; })), /completionMode must be equal to one of the allowed values/);
    assert.throws(() => validate(broken((d) => { d.spec.completions = "9"; })), /completions must be integer/);
    assert.throws(() => validate(broken((d) => { delete d.spec.template.spec.containers[0].name; })), /must have required property name/);
  });

  it("the Job is Indexed, one completion per grid point, each pod running its point into the claimed volume", () => {
    const spec = job.spec;
    assert.equal(spec.completionMode, "Indexed");
    assert.equal(spec.template.spec.restartPolicy, "Never");
    const container = spec.template.spec.containers[0];
    assert.deepEqual(container.command, ["node", "dist/kernel/bin/sweep.js"]);
    const args: string[] = container.args;
    assert.equal(args[args.indexOf("--index") + 1], "$(JOB_COMPLETION_INDEX)", "Kubernetes expands the index it sets");
    const line = parseSweepCommandLine(args.map((a) => (a === "$(JOB_COMPLETION_INDEX)" ? "0" : a)), repoRoot);
    const grid = checkGrid(line.file!, line.entries, path.relative(repoRoot, line.file!));
    assert.equal(spec.completions, gridSize(grid), "completions = grid size");
    assert.ok(spec.parallelism >= 1 && spec.parallelism <= spec.completions);
    for (let i = 0; i < spec.completions; i++) gridPoint(grid, i);
    assert.deepEqual(gridPoint(grid, spec.completions - 1), Object.fromEntries(grid.names.map((n, k) => [n, grid.values[k]!.at(-1)!])));
    const mount = container.volumeMounts.find((m: Manifest) => m.mountPath === line.out);
    assert.ok(mount, `--out ${line.out} is a mounted volume`);
    const volume = spec.template.spec.volumes.find((v: Manifest) => v.name === mount.name);
    assert.equal(volume.persistentVolumeClaim.claimName, claim.metadata.name);
    assert.deepEqual(claim.spec.accessModes, ["ReadWriteMany"], "pods on several nodes write to it");
  });

  it("the collect Job merges the same volume with --collect", () => {
    const spec = collectDocs[0]!.spec.template.spec;
    const container = spec.containers[0];
    const line = parseSweepCommandLine(container.args, "/");
    const mount = container.volumeMounts.find((m: Manifest) => m.mountPath === line.collect);
    assert.ok(mount, `--collect ${line.collect} is a mounted volume`);
    assert.equal(spec.volumes.find((v: Manifest) => v.name === mount.name).persistentVolumeClaim.claimName, claim.metadata.name);
    assert.equal(container.image, job.spec.template.spec.containers[0].image, "the same image as the sweep");
  });
});

/** The first container engine that can build here, or why none can. */
function containerEngine(): { command: string[] } | { skip: string } {
  const works = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: "ignore", timeout: 20_000 }).status === 0;
  if (works("podman", ["--version"])) return { command: ["podman", "build"] };
  if (works("buildah", ["--version"])) return { command: ["buildah", "bud"] };
  if (works("docker", ["info"])) return { command: ["docker", "build"] };
  const client = works("docker", ["--version"]) ? " (docker is only a client: `docker info` reaches no engine)" : "";
  return { skip: `no container engine: podman, buildah and a docker engine are missing${client}` };
}

describe("container image", () => {
  const recipe = fs.readFileSync(path.join(repoRoot, "Containerfile"), "utf8");
  const instructions = recipe.split("\n").filter((l) => /^[A-Z]+ /.test(l));

  it("Containerfile: Debian bookworm with Node 20, Debian's Jupyter, npm ci and the set-up, the runner as entrypoint", () => {
    assert.match(instructions[0]!, /^FROM docker\.io\/library\/node:20-bookworm$/);
    assert.match(recipe, /apt-get install -y --no-install-recommends jupyter-notebook jupyter-server python3-nbclient/);
    assert.match(recipe, /^RUN npm ci/m);
    assert.match(recipe, /^RUN node kernel\/bin\/setup\.mjs/m);
    assert.equal(instructions.find((l) => l.startsWith("ENTRYPOINT")), 'ENTRYPOINT ["node", "dist/kernel/bin/notebooks.js"]');
    for (const copy of instructions.filter((l) => l.startsWith("COPY"))) {
      for (const source of copy.split(/\s+/).slice(1, -1).filter((s) => !s.startsWith("--"))) {
        assert.ok(fs.existsSync(path.join(repoRoot, source)), `COPY source ${source} exists`);
      }
    }
  });

  it(".containerignore and .dockerignore are the same and keep node_modules, dist and test-artifacts out", () => {
    const ignore = fs.readFileSync(path.join(repoRoot, ".containerignore"), "utf8");
    assert.equal(fs.readFileSync(path.join(repoRoot, ".dockerignore"), "utf8"), ignore);
    const patterns = ignore.split("\n").filter((l) => l && !l.startsWith("#"));
    for (const p of ["node_modules", "dist", "test-artifacts", ".git"]) assert.ok(patterns.includes(p), `ignores ${p}`);
    assert.ok(!patterns.some((p) => p.startsWith("kernel")), "the kernelspec in kernel/jupyter/ goes into the image");
  });

  const engine = containerEngine();
  it("the image builds and its runner answers --help", { skip: "skip" in engine ? engine.skip : false, timeout: 1_800_000 }, () => {
    const [cmd, ...args] = (engine as { command: string[] }).command;
    const tag = "localhost/snnlab-test:latest";
    const build = spawnSync(cmd!, [...args, "-f", "Containerfile", "-t", tag, "."], { cwd: repoRoot, stdio: "inherit", timeout: 1_700_000 });
    assert.equal(build.status, 0, "the image builds");
    const runner = cmd === "buildah" ? "podman" : cmd!;
    const help = spawnSync(runner, ["run", "--rm", tag, "--help"], { encoding: "utf8", timeout: 120_000 });
    if (help.error && cmd === "buildah") return; // buildah alone cannot run the image; the build is the check.
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run notebooks/);
  });
});
