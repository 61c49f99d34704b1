/**
 * snnlab/kernel: the glue between the library and Jupyter.
 */
export { findJupyter, startServer, jupyterEnv, freePort, repoRoot, jupyterDataDir, HOW_TO_GET_JUPYTER } from "./jupyter";
export type { JupyterInstall, JupyterFrontEnd, RunningServer, ServerOptions } from "./jupyter";
