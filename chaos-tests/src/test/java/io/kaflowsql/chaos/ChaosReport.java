package io.kaflowsql.chaos;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What the output checker found after a chaos run.
 *
 * @param exactlyOnceMode whether the run asked for {@code exactly_once} (else {@code at_least_once})
 * @param clicks clicks written (distinct event ids)
 * @param expected clicks that pass WHERE: each must appear in the output
 * @param records output records read (read_committed), duplicates included
 * @param lost expected event ids never read, sorted
 * @param duplicated event ids read more often than their click was written, with the count read
 * @param unexpected output event ids that must not be there (no such click, or a click WHERE drops), with why
 * @param wrong event ids whose enrichment matches no version of the rows that existed, with why (first value kept)
 * @param unreadable output values that are not JSON objects with an event id
 * @param updatedVersionsUsed outputs enriched with a changed (not initial) version of some joined row: shows the
 *     version check had something to check
 * @param audit the transaction audit of the output topic's log
 * @param latency acknowledged-to-read latency of the clicks
 * @param gaps processing gaps longer than the report's threshold, described, longest first
 */
record ChaosReport(
        boolean exactlyOnceMode,
        long clicks,
        long expected,
        long records,
        List<String> lost,
        Map<String, Integer> duplicated,
        Map<String, String> unexpected,
        Map<String, String> wrong,
        List<String> unreadable,
        long updatedVersionsUsed,
        TransactionAudit.Result audit,
        ProcessingGaps.Latency latency,
        List<String> gaps)
{
    private static final int SHOWN = 20;

    ChaosReport
    {
        lost = List.copyOf(requireNonNull(lost, "lost is null"));
        duplicated = Map.copyOf(requireNonNull(duplicated, "duplicated is null"));
        unexpected = Map.copyOf(requireNonNull(unexpected, "unexpected is null"));
        wrong = Map.copyOf(requireNonNull(wrong, "wrong is null"));
        unreadable = List.copyOf(requireNonNull(unreadable, "unreadable is null"));
        requireNonNull(audit, "audit is null");
        requireNonNull(latency, "latency is null");
        gaps = List.copyOf(requireNonNull(gaps, "gaps is null"));
    }

    /** Extra copies beyond those written, over all event ids. */
    long duplicateCopies()
    {
        return duplicated.values().stream().mapToLong(count -> count - 1).sum();
    }

    /** Nothing lost, nothing wrong, nothing from outside a committed transaction; duplicates allowed. */
    boolean atLeastOnce()
    {
        return lost.isEmpty() && unexpected.isEmpty() && wrong.isEmpty() && unreadable.isEmpty() && audit.problems().isEmpty();
    }

    boolean exactlyOnce()
    {
        return atLeastOnce() && duplicated.isEmpty();
    }

    /** Whether the run kept the guarantee it asked for. */
    boolean passed()
    {
        return exactlyOnceMode ? exactlyOnce() : atLeastOnce();
    }

    /** The report for a log: verdict, counts, audit, latency, gaps, then the first offenders of each kind. */
    String describe()
    {
        StringBuilder text = new StringBuilder();
        text.append(String.format("CHECK %s (%s): %d clicks written, %d pass WHERE; %d output records read%n",
                passed() ? "PASSED" : "FAILED", exactlyOnceMode ? "exactly_once" : "at_least_once", clicks, expected, records));
        text.append(String.format("  lost %d | duplicated %d event ids (%d extra copies) | unexpected %d | wrong enrichment %d | unreadable %d%n",
                lost.size(), duplicated.size(), duplicateCopies(), unexpected.size(), wrong.size(), unreadable.size()));
        text.append(String.format("  enrichment: every value checked against the rows that existed; %d outputs used a changed version of a row%n",
                updatedVersionsUsed));
        text.append(String.format("  transactions: %d committed, %d aborted (%d records never visible), %d records outside transactions, %d producer ids; %s%n",
                audit.committedTransactions(), audit.abortedTransactions(), audit.abortedRecords(), audit.nonTransactionalRecords(), audit.producerIds(),
                audit.problems().isEmpty() ? "no fenced or concurrent writer committed anything" : audit.problems().size() + " PROBLEMS"));
        text.append(String.format("  latency (acknowledged -> read committed) over %d clicks: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                latency.clicks(), latency.p50(), latency.p99(), latency.max()));
        text.append(String.format("  processing gaps: %d%s%n", gaps.size(), gaps.isEmpty() ? "" : ", longest first:"));
        gaps.stream().limit(SHOWN).forEach(gap -> text.append("    ").append(gap).append('\n'));
        appendList(text, "lost", lost);
        appendList(text, "duplicated (id=copies)", duplicated.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Object::toString).toList());
        appendList(text, "unexpected", unexpected.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(entry -> entry.getKey() + " (" + entry.getValue() + ")").toList());
        wrong.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(5)
                .forEach(entry -> text.append("  wrong ").append(entry.getKey()).append(": ").append(entry.getValue()).append('\n'));
        appendList(text, "unreadable", unreadable);
        audit.problems().stream().limit(SHOWN).forEach(problem -> text.append("  audit: ").append(problem).append('\n'));
        return text.toString().stripTrailing();
    }

    private static void appendList(StringBuilder text, String label, List<String> items)
    {
        if (items.isEmpty()) {
            return;
        }
        String shown = items.stream().limit(SHOWN).collect(Collectors.joining(", "));
        text.append("  ").append(label).append(": ").append(shown).append(items.size() > SHOWN ? ", ... (" + items.size() + " in all)" : "").append('\n');
    }
}
