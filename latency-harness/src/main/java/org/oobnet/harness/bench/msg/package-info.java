/**
 * The sockperf ping-pong message, so that an unmodified sockperf client or server can be either side of a run.
 */
package org.oobnet.harness.bench.msg;
