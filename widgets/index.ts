/**
 * snnlab/widgets: pure functions from library records to Plotly figure specs.
 * No DOM, no kernel, no plotly.js at run time.
 */

/** A Plotly figure spec: plain JSON. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}
