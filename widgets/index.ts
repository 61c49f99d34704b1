/**
 * snnlab/widgets: pure functions from library records to Plotly figure specs (house style C7).
 * Data first, one options object second (with frozen `…Defaults`); no DOM, no kernel and no
 * plotly.js at run time. Every user-supplied string in a figure is HTML-escaped. The kernel's
 * `show` turns a `Figure` into output.
 */
export type { Figure, Trace, Layout, Axis, AxisTitle, Annotation, Shape, Config, JsonValue } from "./figure";
export { escapeHtml } from "./escape";
export type { FigureOptions } from "./inputs";
export type { SpikeGroup } from "./spike-groups";
export { spikeRaster, spikeRasterDefaults } from "./spike-raster";
export type { SpikeRasterOptions } from "./spike-raster";
export { membraneTraces, membraneTracesDefaults } from "./membrane-traces";
export type { MembraneTracesOptions } from "./membrane-traces";
export { stdpWindowPlot, stdpWindowPlotDefaults } from "./stdp-window-plot";
export type { StdpWindowPlotOptions, StdpPoints } from "./stdp-window-plot";
export { alignmentComparison, alignmentComparisonDefaults } from "./alignment-comparison";
export type { AlignmentComparisonOptions, AlignmentRow, AlignmentColumns, AlignmentMetric } from "./alignment-comparison";
export { weightGrid, weightGridDefaults } from "./weight-grid";
export type { WeightGridOptions, WeightGridInput, WeightLayout } from "./weight-grid";
export { confusionMatrix, confusionMatrixDefaults } from "./confusion-matrix";
export type { ConfusionMatrixOptions, ConfusionInput, ConfusionLabels, ConfusionNormalize } from "./confusion-matrix";
export { learningCurves, learningCurvesDefaults } from "./learning-curves";
export type { LearningCurvesOptions, LearningSeries, ReferenceLine } from "./learning-curves";
export { fiCurve, fiCurveDefaults } from "./fi-curve";
export type { FiCurveOptions, FiPoints } from "./fi-curve";
export type { HistogramOptions } from "./histogram";
export { rateHistogram, rateHistogramDefaults } from "./rate-histogram";
export type { RateHistogramOptions } from "./rate-histogram";
export { weightHistogram, weightHistogramDefaults } from "./weight-histogram";
export type { WeightHistogramOptions } from "./weight-histogram";
export { populationRate, populationRateDefaults } from "./population-rate";
export type { PopulationRateOptions } from "./population-rate";
export { stripPlot, stripPlotDefaults } from "./strip-plot";
export type { StripPlotOptions } from "./strip-plot";
export { tableFigure, tableFigureDefaults } from "./table-figure";
export type { TableFigureOptions } from "./table-figure";
export { sweepPlot, sweepPlotDefaults } from "./sweep-plot";
export type { SweepPlotOptions } from "./sweep-plot";
// The names for two widgets; the descriptive names avoid a clash with the library's
// `stdpWindow` (the closed-form window) when a cell imports from both packages.
export { stdpWindowPlot as stdpWindow } from "./stdp-window-plot";
export { alignmentComparison as feedbackAlignment } from "./alignment-comparison";
export { paperVsOurs, paperVsOursDefaults } from "./paper-vs-ours";
export type { PaperVsOursOptions, PaperVsOursPoint } from "./paper-vs-ours";
export { nirGraphPlot, nirGraphPlotDefaults } from "./nir-graph-plot";
export type { NirGraphPlotOptions, NirGraphNode } from "./nir-graph-plot";
