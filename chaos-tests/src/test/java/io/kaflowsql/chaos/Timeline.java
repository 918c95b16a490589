package io.kaflowsql.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * The story of a chaos run: every line the harness prints, stamped with the seconds since the run started, and the
 * span of each fault step, so the checker can say which fault was under way when a partition stopped producing.
 *
 * <p>Thread-safe.
 */
final class Timeline
{
    /** One step's span; {@code endNanos} is 0 while it runs. */
    record Span(String label, long startNanos, long endNanos) {}

    private final long startedNanos = System.nanoTime();
    private final List<Span> spans = new ArrayList<>();

    /** Prints one line of the run with its time. */
    void log(String format, Object... args)
    {
        System.out.printf("[chaos +%6.1fs] %s%n", seconds(System.nanoTime()), String.format(format, args));
    }

    /** Seconds since the start of the run at {@code nanos} ({@link System#nanoTime}). */
    double seconds(long nanos)
    {
        return (nanos - startedNanos) / 1e9;
    }

    synchronized int begin(String label)
    {
        spans.add(new Span(label, System.nanoTime(), 0));
        return spans.size() - 1;
    }

    synchronized void end(int span)
    {
        Span running = spans.get(span);
        spans.set(span, new Span(running.label(), running.startNanos(), System.nanoTime()));
    }

    synchronized List<Span> spans()
    {
        return List.copyOf(spans);
    }

    /** The step under way at {@code nanos}, or the last one before it, for a report line. */
    synchronized String stepAt(long nanos)
    {
        Span before = null;
        for (Span span : spans) {
            if (span.startNanos() <= nanos && (span.endNanos() == 0 || nanos <= span.endNanos())) {
                return "during " + span.label();
            }
            if (span.startNanos() <= nanos) {
                before = span;
            }
        }
        return before == null ? "before the first fault" : "after " + before.label();
    }

    /** Every span as {@code +start..+end label}, one per line. */
    synchronized List<String> describeSpans()
    {
        List<String> lines = new ArrayList<>();
        for (Span span : spans) {
            lines.add(String.format("+%6.1fs .. %s  %s", seconds(span.startNanos()),
                    span.endNanos() == 0 ? "(running)" : String.format("+%6.1fs", seconds(span.endNanos())), span.label()));
        }
        return lines;
    }
}
