package io.kaflowsql.coordinator.transfer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** Logs how a long transfer advances (bytes and rate) every interval, and a summary at the end. Not thread-safe. */
final class TransferProgress
{
    private static final Logger log = LoggerFactory.getLogger(TransferProgress.class);
    private static final double MIB = 1024.0 * 1024.0;

    private final String what;
    private final long totalBytes;
    private final Clock clock;
    private final long intervalMillis;
    private final long startMillis;
    private long bytes;
    private long fetchedBytes;
    private long lastLogMillis;
    private long lastLogBytes;

    TransferProgress(String what, long totalBytes, Clock clock, Duration interval)
    {
        this.what = requireNonNull(what, "what is null");
        this.totalBytes = totalBytes;
        this.clock = requireNonNull(clock, "clock is null");
        this.intervalMillis = interval.toMillis();
        this.startMillis = clock.millis();
        this.lastLogMillis = startMillis;
    }

    /** Bytes that were already on disk from an earlier attempt. */
    void alreadyHad(long count)
    {
        bytes += count;
        lastLogBytes += count;
    }

    void fetched(long count)
    {
        bytes += count;
        fetchedBytes += count;
        long now = clock.millis();
        if (now - lastLogMillis >= intervalMillis) {
            log.info("Fetching {}: {} of {} MiB ({} MiB/s)", what, format(bytes / MIB), format(totalBytes / MIB),
                    format((bytes - lastLogBytes) / MIB / Math.max(1, now - lastLogMillis) * 1000));
            lastLogMillis = now;
            lastLogBytes = bytes;
        }
    }

    long fetchedBytes()
    {
        return fetchedBytes;
    }

    void finished()
    {
        long millis = Math.max(1, clock.millis() - startMillis);
        log.info("Fetched {}: {} MiB in {} s ({} MiB/s; {} MiB were already here)", what, format(fetchedBytes / MIB), format(millis / 1000.0),
                format(fetchedBytes / MIB / millis * 1000), format((bytes - fetchedBytes) / MIB));
    }

    private static String format(double value)
    {
        return String.format("%.1f", value);
    }
}
