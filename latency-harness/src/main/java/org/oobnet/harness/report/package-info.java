/**
 * The outputs of a run: HdrHistogram files, latmus lines, sockperf summaries, plots, tables and the JSON result.
 */
package org.oobnet.harness.report;
