/**
 * snnlab/kernel: the glue between the library and Jupyter — `show` for rich display, progress
 * bars and interrupts for long runs, `check` for the test cells of course assignments, and the
 * helpers that find and start Jupyter.
 */
export { show, clearOutput, newDisplayId, setDisplaySink, displaySink } from "./display";
export type { DisplayOptions, DisplaySink } from "./display";
export { toMimeBundle, figureBundle, isFigure, escapeHtml, PLOTLY_MIME } from "./mime";
export type { MimeBundle, FigureLike } from "./mime";
export { interruptRequested, requestInterrupt, clearInterrupt, InterruptedError } from "./interrupt";
export { findJupyter, startServer, jupyterEnv, freePort, repoRoot, jupyterDataDir, HOW_TO_GET_JUPYTER } from "./jupyter";
export type { JupyterInstall, JupyterFrontEnd, RunningServer, ServerOptions } from "./jupyter";
export { progress } from "./progress";
export type { Progress, ProgressOptions, ProgressInfo } from "./progress";
export { report, resultsMarkdown, RESULTS_MIME, PROTOCOL_VERSION } from "./results";
export type { ResultRow, SettingRow, Target, Reproduction, MeasuredOn } from "./results";
export { checkpoint, readCheckpoint, defaultCheckpointDir } from "./checkpoints";
export type { Checkpoint, CheckpointOptions, CheckpointValue, StoredCheckpoint } from "./checkpoints";
export { exportNotebookHtml, exportNotebookFile, exportDir, stripAnsi } from "./export";
export type { ExportOptions, ExportFileOptions } from "./export";
export { saveFigure, closeBrowser, saveFigureDefaults } from "./save-figure";
export type { SaveFigureOptions } from "./save-figure";
export { markdownToHtml } from "./markdown";
export { check, CheckError } from "./check";
export type { CheckOptions, CloseOptions } from "./check";
export { findBrowser } from "./browser";
export { readResults, notebookTitles } from "./results-file";
export type { ResultsEntry } from "./results-file";
export { reproductionRows, reproductionSummary, reproductionMarkdown } from "./reproduction";
export type { ReproductionRow, ReproductionSummary } from "./reproduction";
