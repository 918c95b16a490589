package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The output of a crashed-and-restarted run compared with a crash-free run, by event id.
 *
 * @param expected how many distinct event ids the crash-free run emits
 * @param records output records read, duplicates included
 * @param lost expected event ids never read, sorted
 * @param duplicated event ids read more than once, with how many times each was read
 * @param unexpected event ids read that the crash-free run does not emit (e.g. a click WHERE drops)
 * @param mismatched event ids with a value that differs from the crash-free one, with that value
 * @param unreadable values that were not JSON with an event id
 */
record DeliveryReport(
        int expected,
        long records,
        List<String> lost,
        Map<String, Integer> duplicated,
        List<String> unexpected,
        Map<String, JsonNode> mismatched,
        List<String> unreadable)
{
    private static final int SHOWN = 20;

    DeliveryReport
    {
        lost = List.copyOf(requireNonNull(lost, "lost is null"));
        duplicated = Map.copyOf(requireNonNull(duplicated, "duplicated is null"));
        unexpected = List.copyOf(requireNonNull(unexpected, "unexpected is null"));
        mismatched = Map.copyOf(requireNonNull(mismatched, "mismatched is null"));
        unreadable = List.copyOf(requireNonNull(unreadable, "unreadable is null"));
    }

    static DeliveryReport compare(Map<String, JsonNode> expected, Map<String, List<JsonNode>> actual, long records, List<String> unreadable)
    {
        List<String> lost = expected.keySet().stream().filter(id -> !actual.containsKey(id)).sorted().toList();
        Map<String, Integer> duplicated = new TreeMap<>();
        Map<String, JsonNode> mismatched = new TreeMap<>();
        actual.forEach((id, values) -> {
            if (values.size() > 1) {
                duplicated.put(id, values.size());
            }
            JsonNode want = expected.get(id);
            if (want != null) {
                values.stream().filter(value -> !value.equals(want)).findFirst().ifPresent(value -> mismatched.put(id, value));
            }
        });
        List<String> unexpected = actual.keySet().stream().filter(id -> !expected.containsKey(id)).sorted().toList();
        return new DeliveryReport(expected.size(), records, lost, duplicated, unexpected, mismatched, unreadable);
    }

    /** Extra copies beyond the first, over all event ids. */
    long duplicateCopies()
    {
        return duplicated.values().stream().mapToLong(count -> count - 1).sum();
    }

    boolean exactlyOnce()
    {
        return atLeastOnce() && duplicated.isEmpty();
    }

    /** Nothing lost, nothing wrong; duplicates of correct values allowed. */
    boolean atLeastOnce()
    {
        return lost.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty() && unreadable.isEmpty();
    }

    /** One paragraph for a CI log: counts, then the first offending ids of each kind. */
    String describe(Map<String, JsonNode> expectedValues)
    {
        StringBuilder text = new StringBuilder()
                .append(String.format("expected %d event ids; read %d records: %d lost, %d event ids duplicated (%d extra copies), %d unexpected, %d mismatched, %d unreadable",
                        expected, records, lost.size(), duplicated.size(), duplicateCopies(), unexpected.size(), mismatched.size(), unreadable.size()));
        if (!lost.isEmpty()) {
            text.append("\n  lost: ").append(first(lost));
        }
        if (!duplicated.isEmpty()) {
            text.append("\n  duplicated (id=copies): ").append(first(duplicated.entrySet().stream().map(Object::toString).toList()));
        }
        if (!unexpected.isEmpty()) {
            text.append("\n  unexpected: ").append(first(unexpected));
        }
        mismatched.entrySet().stream().limit(3).forEach(entry -> text
                .append("\n  mismatched ").append(entry.getKey())
                .append("\n    expected: ").append(expectedValues.get(entry.getKey()))
                .append("\n    actual:   ").append(entry.getValue()));
        if (!unreadable.isEmpty()) {
            text.append("\n  unreadable: ").append(first(unreadable));
        }
        return text.toString();
    }

    private static String first(List<String> items)
    {
        String shown = items.stream().limit(SHOWN).collect(Collectors.joining(", "));
        return items.size() > SHOWN ? shown + ", ... (" + items.size() + " in all)" : shown;
    }
}
