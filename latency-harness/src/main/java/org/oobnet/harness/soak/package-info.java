/**
 * {@code oobnet soak}: traffic on the OOB paths with faults injected, and an exact per-stream ledger of what arrived.
 */
package org.oobnet.harness.soak;
