package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The chaos checker: judges what a read_committed reader got from the output topic against what the input topics
 * hold ({@link InputTruth}) and the seed query written out by hand ({@link SeedEnrichment}); none of the engine's code
 * takes part. For every output record it checks:
 *
 * <ul>
 *   <li>its click exists and passes WHERE (else <em>unexpected</em>);</li>
 *   <li>its click columns are the click's, its key is the click's {@code user_id}, it has exactly the 30 columns;</li>
 *   <li>its user columns equal one version of that user's {@code user_profiles} row that existed, its product columns
 *       one version of the product, its history columns one version of the user's {@code purchase_history} row (or are
 *       all NULL, allowed only if the user had no history row when the run started); a version acknowledged after the
 *       output was read cannot have been used (else <em>wrong</em>);</li>
 *   <li>its CASE columns follow from its joined columns as the seed defines them (else <em>wrong</em>).</li>
 * </ul>
 *
 * Then every click that passes WHERE must have been read (else <em>lost</em>), and, under exactly-once, read as many
 * times as it was written (else <em>duplicated</em>). The {@link TransactionAudit} result and the processing gaps go
 * into the same report. Stateless; thread-safe.
 */
final class OutputChecker
{
    private static final double GAP_THRESHOLD_SECONDS = 2.0;

    private OutputChecker() {}

    static ChaosReport check(boolean exactlyOnce, InputTruth truth, List<OutputRecorder.Seen> outputs, TransactionAudit.Result audit,
            Timeline timeline, long runEndNanos)
    {
        requireNonNull(truth, "truth is null");
        Map<String, Integer> read = new HashMap<>();
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, String> unexpected = new TreeMap<>();
        Map<String, String> wrong = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        long updatedVersionsUsed = 0;
        for (OutputRecorder.Seen seen : outputs) {
            if (seen.eventId() == null) {
                unreadable.add(String.valueOf(seen.value()));
                continue;
            }
            read.merge(seen.eventId(), 1, Integer::sum);
            firstSeen.putIfAbsent(seen.eventId(), seen.seenNanos());
            InputTruth.Click click = truth.clicks().get(seen.eventId());
            if (click == null) {
                unexpected.putIfAbsent(seen.eventId(), "no click with this event id was written");
                continue;
            }
            if (!click.passesWhere()) {
                unexpected.putIfAbsent(seen.eventId(), "its click's event_type is dropped by WHERE");
                continue;
            }
            Verdict verdict = judge(seen, OutputValues.parse(click.value()), truth);
            if (verdict.problem() != null) {
                wrong.putIfAbsent(seen.eventId(), verdict.problem());
            }
            else if (verdict.updatedVersionUsed()) {
                updatedVersionsUsed++;
            }
        }
        List<String> lost = new ArrayList<>();
        Map<String, Integer> duplicated = new TreeMap<>();
        List<ProcessingGaps.Click> timings = new ArrayList<>();
        long expected = 0;
        for (InputTruth.Click click : truth.clicks().values()) {
            if (!click.passesWhere()) {
                continue;
            }
            expected++;
            int copies = read.getOrDefault(click.eventId(), 0);
            if (copies == 0) {
                lost.add(click.eventId());
            }
            else if (exactlyOnce && copies > click.copies()) {
                duplicated.put(click.eventId(), copies);
            }
            timings.add(new ProcessingGaps.Click(click.partition(), click.ackedAtNanos(), firstSeen.getOrDefault(click.eventId(), 0L)));
        }
        if (!exactlyOnce) {
            read.forEach((id, copies) -> {
                InputTruth.Click click = truth.clicks().get(id);
                if (click != null && click.passesWhere() && copies > click.copies()) {
                    duplicated.put(id, copies); // allowed, but reported
                }
            });
        }
        lost.sort(null);
        List<String> gaps = ProcessingGaps.find(timings, GAP_THRESHOLD_SECONDS, runEndNanos).stream()
                .map(gap -> ProcessingGaps.describe(gap, runEndNanos, timeline))
                .toList();
        return new ChaosReport(exactlyOnce, truth.clicks().size(), expected, outputs.size(), lost, duplicated, unexpected, wrong, unreadable,
                updatedVersionsUsed, audit, ProcessingGaps.latency(timings), gaps);
    }

    /** The verdict on one output value: a problem (null when none) and whether a changed row version was used. */
    record Verdict(String problem, boolean updatedVersionUsed)
    {
        static Verdict wrong(String problem)
        {
            return new Verdict(problem, false);
        }
    }

    static Verdict judge(OutputRecorder.Seen seen, JsonNode click, InputTruth truth)
    {
        JsonNode output = OutputValues.parse(seen.value());
        Set<String> columns = new LinkedHashSet<>();
        output.fieldNames().forEachRemaining(columns::add);
        if (!columns.equals(SeedEnrichment.outputColumns())) {
            Set<String> missing = new TreeSet<>(SeedEnrichment.outputColumns());
            missing.removeAll(columns);
            Set<String> extra = new TreeSet<>(columns);
            extra.removeAll(SeedEnrichment.outputColumns());
            return Verdict.wrong("columns differ from the SELECT list: missing " + missing + ", extra " + extra);
        }
        String userId = click.path("user_id").asText();
        String productId = click.path("product_id").asText();
        if (!userId.equals(seen.key())) {
            return Verdict.wrong("record key '" + seen.key() + "' is not the user_id " + userId);
        }
        String clickColumn = SeedEnrichment.clickMismatch(output, click);
        if (clickColumn != null) {
            return Verdict.wrong(clickColumn + " is " + output.get(clickColumn) + ", the click has " + click.get(clickColumn));
        }
        Match user = match(output, SeedEnrichment.USER_COLUMNS, truth, PersonalizationTopics.USER_PROFILES, userId, false, seen.seenNanos());
        Match product = match(output, SeedEnrichment.PRODUCT_COLUMNS, truth, PersonalizationTopics.PRODUCTS, productId, false, seen.seenNanos());
        Match history = match(output, SeedEnrichment.HISTORY_COLUMNS, truth, PersonalizationTopics.PURCHASE_HISTORY, userId,
                truth.mayBeMissing(PersonalizationTopics.PURCHASE_HISTORY, userId), seen.seenNanos());
        for (Match side : List.of(user, product, history)) {
            if (side.problem() != null) {
                return Verdict.wrong(side.problem());
            }
        }
        String computed = SeedEnrichment.computedMismatch(output);
        if (computed != null) {
            return Verdict.wrong(computed);
        }
        return new Verdict(null, user.updated() || product.updated() || history.updated());
    }

    /** How one source's columns matched: a problem (null if they match a version) and whether only a changed version matched. */
    private record Match(String problem, boolean updated) {}

    private static Match match(JsonNode output, Map<String, String> columns, InputTruth truth, String topic, String key, boolean missAllowed,
            long seenNanos)
    {
        if (missAllowed && SeedEnrichment.matches(output, columns, null)) {
            return new Match(null, false);
        }
        List<InputTruth.Version> versions = truth.versions(topic, key);
        List<InputTruth.Version> matching = versions.stream().filter(version -> SeedEnrichment.matches(output, columns, version.value())).toList();
        if (matching.isEmpty()) {
            boolean allNull = SeedEnrichment.matches(output, columns, null);
            return new Match(topic + " columns " + (allNull ? "are all NULL (a join miss)" : "match none") + " of the " + versions.size()
                    + " versions of " + key + (allNull && !versions.isEmpty() ? ", which had a row from the start" : "")
                    + ": " + project(output, columns), false);
        }
        boolean existedInTime = matching.stream().anyMatch(version -> version.initial() || version.ackedAtNanos() == 0 || version.ackedAtNanos() <= seenNanos);
        if (!existedInTime) {
            return new Match(topic + " columns match only a version of " + key + " written after this output was read", false);
        }
        return new Match(null, matching.stream().noneMatch(InputTruth.Version::initial));
    }

    private static String project(JsonNode output, Map<String, String> columns)
    {
        Map<String, String> values = new TreeMap<>();
        columns.keySet().forEach(column -> values.put(column, String.valueOf(output.get(column))));
        return values.toString();
    }
}
