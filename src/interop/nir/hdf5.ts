/**
 * The HDF5 library: h5wasm (the HDF5 C library compiled to WebAssembly, with gzip), loaded once.
 * Internal to the NIR files.
 *
 * h5wasm is an ES module whose Node build is exported only under the "import" condition, so
 * `require` cannot load it, and TypeScript's CommonJS output turns a plain `import()` into a
 * `require`; a dynamic import built at run time keeps the real `import()`.
 */
export type H5wasm = typeof import("h5wasm");

let loading: Promise<H5wasm> | undefined;

/** h5wasm's Node build, ready to open files (the host file system, NODERAWFS). */
export function hdf5(): Promise<H5wasm> {
  if (!loading) {
    const load = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<H5wasm>;
    loading = load("h5wasm/node").then(async (module) => {
      await module.ready;
      return module;
    });
  }
  return loading;
}
