/**
 * `writeNir(file, graph)`: a `NirGraph` as a `.nir` file in the layout `readNir` reads (NIR's
 * `nir/serialization.py`): a string dataset `version` ("1.0.7", the NIR release whose layout
 * this follows), the graph in the group `node`, one group per node with a string `type` and one
 * dataset per field in NIR's snake_case names, parameters gzip-compressed (level 4, h5py's
 * default) in their own element type, integers as int64, strings as UTF-8 variable-length
 * strings (h5py's `string_dtype()`), edges as a string dataset [n, 2], metadata as a group
 * (omitted when empty). The derived `input_type`/`output_type` groups that NIR's newest writer
 * adds are left out: every NIR reader infers them.
 *
 * The graph is checked first (as `nirGraph`), the file is written to a temporary file in the
 * target folder and renamed over the target, so a failure leaves no partial file.
 *
 * @example
 *   await writeNir("lif.nir", await readNir("../shared/nir/lif_norse.nir"));
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fail } from "../../core/validate";
import { checkNirGraph, tensorFields, type NirGraph, type NirMetadata, type NirNode, type NirTensor } from "./graph";
import { hdf5, type H5wasm } from "./hdf5";
import { snakeCase } from "./read";

type Group = InstanceType<H5wasm["Group"]>;

/** The version string written: the NIR release whose serialisation layout the files follow. */
export const nirVersion = "1.0.7";

function isTensor(value: unknown): value is NirTensor {
  return !!value && typeof value === "object" && ((value as NirTensor).data instanceof Float32Array || (value as NirTensor).data instanceof Float64Array);
}

function writeTensor(group: Group, name: string, t: NirTensor): void {
  const dtype = t.data instanceof Float32Array ? "<f" : "<d";
  const shape = [...t.shape];
  const compressible = shape.length > 0 && t.data.length > 0;
  group.create_dataset({
    name, data: t.data, shape, dtype,
    ...(compressible ? { compression: "gzip" as const, compression_opts: 4, chunks: shape } : {}),
  });
}

function writeInts(group: Group, name: string, values: readonly number[], scalar = false): void {
  group.create_dataset({ name, data: BigInt64Array.from(values, (v) => BigInt(v)), shape: scalar ? [] : [values.length], dtype: "<q" });
}

function writeString(group: Group, name: string, value: string): void {
  group.create_dataset({ name, data: value });
}

function writeMetadata(group: Group, metadata: NirMetadata): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === "string") writeString(group, key, value);
    else if (typeof value === "number") {
      if (Number.isSafeInteger(value)) writeInts(group, key, [value], true);
      else group.create_dataset({ name: key, data: Float64Array.of(value), shape: [], dtype: "<d" });
    } else if (isTensor(value)) writeTensor(group, key, value);
    else writeMetadata(group.create_group(key), value as NirMetadata);
  }
}

function writeNode(group: Group, node: NirNode): void {
  writeString(group, "type", node.type);
  for (const field of tensorFields[node.type] ?? []) writeTensor(group, snakeCase(field), (node as unknown as Record<string, NirTensor>)[field]!);
  switch (node.type) {
    case "Input":
    case "Output":
      writeInts(group, "shape", node.shape);
      break;
    case "Conv1d":
      writeInts(group, "stride", [node.stride], true);
      if (typeof node.padding === "string") writeString(group, "padding", node.padding);
      else writeInts(group, "padding", [node.padding], true);
      writeInts(group, "dilation", [node.dilation], true);
      writeInts(group, "groups", [node.groups], true);
      if (node.inputShape !== null) writeInts(group, "input_shape", [node.inputShape], true);
      break;
    case "Conv2d":
      writeInts(group, "stride", node.stride);
      if (typeof node.padding === "string") writeString(group, "padding", node.padding);
      else writeInts(group, "padding", node.padding);
      writeInts(group, "dilation", node.dilation);
      writeInts(group, "groups", [node.groups], true);
      if (node.inputShape !== null) writeInts(group, "input_shape", node.inputShape);
      break;
    case "SumPool2d":
    case "AvgPool2d":
      writeInts(group, "kernel_size", node.kernelSize);
      writeInts(group, "stride", node.stride);
      writeInts(group, "padding", node.padding);
      break;
    case "Flatten":
      writeInts(group, "start_dim", [node.startDim], true);
      writeInts(group, "end_dim", [node.endDim], true);
      if (node.inputShape !== null) writeInts(group, "input_type", node.inputShape);
      break;
    case "NIRGraph": {
      const nodes = group.create_group("nodes");
      for (const [name, child] of Object.entries(node.nodes)) writeNode(nodes.create_group(name), child);
      const flat = node.edges.flatMap(([a, b]) => [a, b]);
      if (flat.length > 0) group.create_dataset({ name: "edges", data: flat, shape: [node.edges.length, 2] });
      else group.create_dataset({ name: "edges", data: new Float64Array(0), shape: [0], dtype: "<d" });
      break;
    }
    default:
      break;
  }
  if (node.metadata && Object.keys(node.metadata).length > 0) writeMetadata(group.create_group("metadata"), node.metadata);
}

/**
 * Writes `graph` to `file` (file header); the folder must exist.
 *
 * @example
 *   const { graph } = modelToNir(model, { dt: 1 * ms });
 *   await writeNir("model.nir", graph);
 */
export async function writeNir(file: string, graph: NirGraph): Promise<void> {
  const fn = "writeNir";
  if (typeof file !== "string" || file === "") fail(fn, "file", "be a path", file);
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(fn, "file", "be in an existing folder", file);
  checkNirGraph(fn, graph);
  const h5 = await hdf5();
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const f = new h5.File(tmp, "w");
    try {
      writeString(f, "version", nirVersion);
      writeNode(f.create_group("node"), graph);
    } finally {
      f.close();
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
