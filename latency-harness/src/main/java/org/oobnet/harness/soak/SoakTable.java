package org.oobnet.harness.soak;

import java.util.Map;

/**
 * The soak's closing table: per stream the books (sent, received, each named drop, unaccounted, corrupt,
 * duplicates, reordered), the faults injected, stalls inside and outside fault windows, each JVM's stage allocation
 * after warm-up and its verdict (any byte fails the soak), resources, verdict.
 * <p>
 * <b>Note:</b> stateless.
 */
public final class SoakTable
{
    private SoakTable()
    {
    }

    public static String render(final SoakRun run, final String duration, final int rate)
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("%noobnet soak --duration %s --rate %d%n%n", duration, rate));
        text.append(String.format("| %-38s | %10s | %10s | %9s | %14s | %11s | %7s | %4s | %9s | %s |%n",
            "stream", "sent", "received", "dropped", "refused offers", "unaccounted", "corrupt", "dup", "reordered", "ok"));
        text.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (final StreamLedger ledger : run.streams())
        {
            text.append(String.format("| %-38s | %10d | %10d | %9d | %14d | %11d | %7d | %4d | %9d | %s |%n",
                ledger.name, ledger.sent, ledger.received, ledger.dropped(), ledger.refused, ledger.unaccounted(),
                ledger.corrupt, ledger.duplicates, ledger.reordered, ledger.holds() ? "yes" : "NO"));
        }
        text.append("\ndrops by reason (sent = received + dropped; refused offers = offer() attempts the full send ring refused, retried, never sent):\n");
        for (final StreamLedger ledger : run.streams())
        {
            if (ledger.drops.isEmpty())
            {
                text.append("  ").append(ledger.name).append(": none\n");
            }
            for (final Map.Entry<String, Long> drop : ledger.drops.entrySet())
            {
                text.append(String.format("  %s: %s = %d%n", ledger.name, drop.getKey(), drop.getValue()));
            }
            if (ledger.unaccounted() != 0)
            {
                text.append(String.format("  %s: UNACCOUNTED %d; sequences missing at the receiver (counted drops " +
                    "included): %s%n", ledger.name, ledger.unaccounted(), ledger.missingSequences()));
            }
            for (final Map.Entry<String, Long> note : ledger.notes.entrySet())
            {
                text.append(String.format("  %s: (not a drop) %s = %d%n", ledger.name, note.getKey(), note.getValue()));
            }
        }
        text.append("\nfaults injected:\n");
        run.faultCounts().forEach((fault, count) -> text.append(String.format("  %4d x %s%n", count, fault)));
        if (!run.faultInjection().churnRefused.isEmpty())
        {
            text.append("  churn sockets refused by socket(): ").append(run.faultInjection().churnRefused).append('\n');
        }
        text.append(String.format("%nstage stalls (%d stage%s): %d inside fault windows, %d outside%n",
            run.stageCount(), 1 == run.stageCount() ? "" : "s", run.faultInjection().stallsInFaults, run.faultInjection().stallsOutsideFaults));
        text.append("stage allocation after warm-up:");
        run.ledgers().stageAllocation.forEach((who, bytes) ->
            text.append(' ').append(who).append(' ').append(bytes < 0 ? "not measured" : bytes + " B").append(';'));
        text.append('\n');
        text.append("stage allocation verdict: ").append(run.ledgers().stageAllocationVerdict()).append('\n');
        text.append("resources: ").append(run.ledgers().resourcesLine).append('\n');
        if (run.ledgers().problems.isEmpty())
        {
            text.append("PASSED: every message accounted for, none corrupt, duplicated or reordered; resources back; " +
                "no stage allocated after warm-up\n");
        }
        else
        {
            text.append("FAILED:\n");
            run.ledgers().problems.forEach(problem -> text.append("  ").append(problem).append('\n'));
        }
        return text.toString();
    }
}
