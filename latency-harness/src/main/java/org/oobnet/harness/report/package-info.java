/**
 * The outputs of a run: HdrHistogram files, latmus lines, sockperf summaries, plots, tables and the JSON result, the
 * progress line and the end of every latency command ({@code Outputs}).
 */
package org.oobnet.harness.report;
