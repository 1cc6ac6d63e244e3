/**
 * What every round-trip run shares: the measuring loop, its plan, pacing, idle strategies, the stage-side pinger and
 * the per-phase samples, and what a run is asked for ({@code RunSettings}, {@code RowSpec}).
 */
package org.oobnet.harness.bench.run;
