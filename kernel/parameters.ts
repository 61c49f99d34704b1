/**
 * Notebook parameters the papermill way, typed. The cell tagged `parameters` declares defaults
 * (`const neurons = quick ? 100 : 400;`, `const encoding: "constant" | "poisson" = "constant";`);
 * a run with parameters gets a new code cell tagged `injected-parameters` right after it, which
 * re-declares the given names (tslab accepts re-declaring a `const` in a later cell):
 *
 *   // Parameters
 *   const quick: boolean = true;
 *   const neurons: number = 1600;
 *   // Recomputed from the parameters cell: they depend on the values above
 *   const trainSamples = quick ? 5000 : 60000;
 *
 * As in papermill, the cell starts with the comment "Parameters", an injected cell already in the
 * notebook is replaced, and the values are recorded in `metadata.papermill.parameters`. Unlike
 * papermill, declarations of the parameters cell that read a given name are declared again below
 * the values (papermill leaves them at their defaults): the series' quick mode is
 * `const quick = true` plus every `quick ? … : …` after it.
 *
 * The declared types come from the TypeScript compiler's checker on the parameters cell alone: a
 * declaration whose type is a number, boolean or string (or a union of such literals written as
 * its annotation) can be set; a value of another type, or a name the cell does not declare, is
 * refused with one message before anything runs.
 */
import ts from "typescript";
import type { Notebook, NotebookCell } from "./runner";

export type ParameterValue = number | boolean | string;

/** One declaration of the parameters cell. */
export interface ParameterDeclaration {
  readonly name: string;
  /** `const` or `let`, as declared. */
  readonly keyword: "const" | "let";
  /** The value type a run may give; undefined when the declaration cannot be set (an array, an object …). */
  readonly type: "number" | "boolean" | "string" | undefined;
  /** The allowed values when the annotation is a union of literals (`"constant" | "poisson"`). */
  readonly values?: readonly ParameterValue[];
  /** The annotation as written (`boolean`, `"constant" | "poisson"`), if any. */
  readonly annotation?: string;
  /** The string literals of an unannotated string declaration's type (`"fractional"` for `const update = "fractional"`). */
  readonly literals?: readonly string[];
  /** The declaration as written, without its keyword (`n = quick ? 3 : 1000`). */
  readonly text: string;
  /** Names of earlier declarations of the cell that its initializer reads. */
  readonly uses: readonly string[];
}

/** A parameter (or where a parameterised run would write) that the run refuses before it starts. */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParameterError";
  }
}

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

const FILE = "/parameters-cell.ts";

/** The declarations of a parameters cell's source, in order, with their checked types. */
export function parameterDeclarations(source: string): ParameterDeclaration[] {
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, target: ts.ScriptTarget.ES2022, types: [] };
  const sourceFile = ts.createSourceFile(FILE, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === FILE ? sourceFile : undefined),
    writeFile: () => undefined,
    getDefaultLibFileName: () => "/lib.d.ts",
    useCaseSensitiveFileNames: () => true,
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => "/",
    getNewLine: () => "\n",
    fileExists: (name) => name === FILE,
    readFile: () => undefined,
  };
  const checker = ts.createProgram({ rootNames: [FILE], options, host }).getTypeChecker();
  const declared = new Map<ts.Symbol, string>();
  const result: ParameterDeclaration[] = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const keyword = statement.declarationList.flags & ts.NodeFlags.Const ? "const" : "let";
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      const name = declaration.name.text;
      const uses = new Set<string>();
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node)) {
          const symbol = checker.getSymbolAtLocation(node);
          const used = symbol && declared.get(symbol);
          if (used) uses.add(used);
        }
        ts.forEachChild(node, visit);
      };
      if (declaration.initializer) visit(declaration.initializer);
      const type = checker.getTypeAtLocation(declaration.name);
      const annotation = declaration.type?.getText(sourceFile);
      result.push({
        name, keyword, ...classify(type, annotation !== undefined), annotation,
        text: declaration.getText(sourceFile), uses: [...uses],
      });
      const symbol = checker.getSymbolAtLocation(declaration.name);
      if (symbol) declared.set(symbol, name);
    }
  }
  return result;
}

type Kind = "number" | "boolean" | "string";

function literalOf(type: ts.Type): { kind: Kind; value: ParameterValue } | undefined {
  if (type.flags & ts.TypeFlags.NumberLiteral) return { kind: "number", value: (type as ts.NumberLiteralType).value };
  if (type.flags & ts.TypeFlags.StringLiteral) return { kind: "string", value: (type as ts.StringLiteralType).value };
  if (type.flags & ts.TypeFlags.BooleanLiteral) return { kind: "boolean", value: (type as { intrinsicName?: string }).intrinsicName === "true" };
  return undefined;
}

/**
 * A declaration's settable type. Without an annotation a literal or a union of literals of one
 * kind (`quick ? 100 : 400`) widens to that kind, as the author would edit it; an annotated union
 * of literals (`"constant" | "poisson"`) restricts the values to its members.
 */
function classify(type: ts.Type, annotated: boolean): { type: Kind | undefined; values?: ParameterValue[]; literals?: string[] } {
  if (type.flags & ts.TypeFlags.Boolean) return { type: "boolean" };
  if (type.flags & ts.TypeFlags.Number) return { type: "number" };
  if (type.flags & ts.TypeFlags.String) return { type: "string" };
  const members = type.isUnion() ? type.types : [type];
  const literals = members.map(literalOf);
  const kind = literals[0]?.kind;
  if (!kind || literals.some((l) => l === undefined || l.kind !== kind)) return { type: undefined };
  if (kind === "string" && !annotated) return { type: kind, literals: literals.map((l) => l!.value as string) };
  if (!annotated || kind === "boolean") return { type: kind };
  return { type: kind, values: literals.map((l) => l!.value) };
}

/** The value as a TypeScript literal. */
function literal(value: ParameterValue): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Checks a given value against its declaration and returns it with the declared type: a number
 * or boolean may come as command-line text ("1600", "true").
 */
export function checkParameter(name: string, value: unknown, declarations: readonly ParameterDeclaration[], where: string): ParameterValue {
  const declaration = declarations.find((d) => d.name === name);
  if (!declaration) {
    const names = declarations.map((d) => d.name).join(", ") || "none";
    throw new ParameterError(`runner: parameter ${name} must be declared in the parameters cell of ${where} (it declares ${names}), got ${name}=${shown(value)}`);
  }
  const declared = `(declared in the parameters cell of ${where})`;
  let checked: ParameterValue | undefined;
  switch (declaration.type) {
    case undefined:
      throw new ParameterError(`runner: parameter ${name} must be declared as a number, boolean or string to be set (the parameters cell of ${where} declares \`${declaration.text}\`), got ${shown(value)}`);
    case "number":
      if (typeof value === "number") checked = value;
      else if (typeof value === "string" && value.trim() !== "") checked = Number(value);
      if (checked !== undefined && !Number.isFinite(checked)) checked = undefined;
      break;
    case "boolean":
      if (typeof value === "boolean") checked = value;
      else if (value === "true" || value === "false") checked = value === "true";
      break;
    case "string":
      if (typeof value === "string") checked = value;
      break;
  }
  if (checked === undefined) {
    const article = declaration.type === "boolean" ? "a boolean" : declaration.type === "number" ? "a number" : "a string";
    throw new ParameterError(`runner: parameter ${name} must be ${article} ${declared}, got ${shown(value)}`);
  }
  if (declaration.values && !declaration.values.includes(checked)) {
    throw new ParameterError(`runner: parameter ${name} must be one of ${declaration.values.map(literal).join(", ")} ${declared}, got ${shown(value)}`);
  }
  return checked;
}

/**
 * The type an injected value is declared with, so that later cells compile as they did with the
 * default: the annotation as written; else `number` or `boolean` (`const n = 5` would be of type
 * 5, and a later `n === 3` would no longer compile); else, for a string literal, the union of the
 * default's literals and the value (`update: headline` and `headline === "fractional"` both
 * still compile).
 */
function injectedType(d: ParameterDeclaration, value: ParameterValue): string {
  if (d.annotation) return d.annotation;
  if (d.type === "string" && d.literals) return [...new Set([...d.literals, value as string])].map(literal).join(" | ");
  return d.type!;
}

/**
 * The source of the injected cell: the given values as declarations of the declared type, then
 * the declarations that read them, again, in cell order.
 */
export function injectedSource(values: Readonly<Record<string, ParameterValue>>, declarations: readonly ParameterDeclaration[]): string {
  const lines = ["// Parameters"];
  for (const [name, value] of Object.entries(values)) {
    const d = declarations.find((x) => x.name === name)!;
    lines.push(`${d.keyword} ${name}: ${injectedType(d, value)} = ${literal(value)};`);
  }
  const changed = new Set(Object.keys(values));
  const recomputed: string[] = [];
  for (const d of declarations) {
    if (changed.has(d.name) || !d.uses.some((u) => changed.has(u))) continue;
    changed.add(d.name);
    recomputed.push(`${d.keyword} ${d.text};`);
  }
  if (recomputed.length > 0) lines.push("// Recomputed from the parameters cell: they depend on the values above", ...recomputed);
  return lines.join("\n");
}

function sourceText(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

function tagged(cell: NotebookCell, tag: string): boolean {
  return cell.cell_type === "code" && (cell.metadata.tags ?? []).includes(tag);
}

/**
 * Returns a copy of `nb` with the values checked against its parameters cell and injected after
 * it (replacing an injected cell from an earlier run), and recorded in `metadata.papermill`. With
 * no values the copy is unchanged. `where` names the notebook in messages.
 */
export function injectParameters(nb: Notebook, values: Readonly<Record<string, unknown>>, where: string): { notebook: Notebook; parameters: Record<string, ParameterValue> } {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  const names = Object.keys(values);
  if (names.length === 0) return { notebook: copy, parameters: {} };
  const index = copy.cells.findIndex((c) => tagged(c, PARAMETERS_TAG));
  if (index < 0) throw new ParameterError(`runner: ${where} must have a code cell tagged "parameters" to take parameters, got ${names.join(", ")}`);
  const declarations = parameterDeclarations(sourceText(copy.cells[index]!));
  const parameters: Record<string, ParameterValue> = {};
  for (const name of names) parameters[name] = checkParameter(name, values[name], declarations, where);
  const cell: NotebookCell = {
    cell_type: "code",
    ...(copy.nbformat > 4 || copy.nbformat_minor >= 5 ? { id: INJECTED_TAG } : {}),
    metadata: { tags: [INJECTED_TAG] }, source: injectedSource(parameters, declarations), outputs: [], execution_count: null,
  };
  const injected = copy.cells.findIndex((c) => tagged(c, INJECTED_TAG));
  if (injected >= 0) copy.cells.splice(injected, 1, cell);
  else copy.cells.splice(index + 1, 0, cell);
  const papermill = (copy.metadata.papermill ?? {}) as Record<string, unknown>;
  copy.metadata = { ...copy.metadata, papermill: { ...papermill, parameters } };
  return { notebook: copy, parameters };
}

/** Splits a command-line `-p NAME=VALUE` into its name (an identifier) and its text; null when it is not of that form. */
export function splitParameterArgument(item: string): { name: string; text: string } | null {
  const match = /^([A-Za-z_$][\w$]*)=([\s\S]*)$/.exec(item);
  return match ? { name: match[1]!, text: match[2]! } : null;
}
