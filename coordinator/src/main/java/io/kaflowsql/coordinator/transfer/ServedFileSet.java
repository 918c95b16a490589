package io.kaflowsql.coordinator.transfer;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * A set of files this node serves to one peer under a transfer id: a pinned checkpoint or a dimension
 * snapshot written for the transfer. Thread-safe: fetches of several files may run at once.
 */
final class ServedFileSet
{
    private final String transferId;
    private final Map<String, Path> files;
    private final Runnable touch;
    private final Runnable release;
    private final AtomicLong lastUsedMillis;
    private final AtomicBoolean released = new AtomicBoolean();

    ServedFileSet(String transferId, Map<String, Path> files, Runnable touch, Runnable release, long nowMillis)
    {
        this.transferId = requireNonNull(transferId, "transferId is null");
        this.files = Map.copyOf(requireNonNull(files, "files is null"));
        this.touch = requireNonNull(touch, "touch is null");
        this.release = requireNonNull(release, "release is null");
        this.lastUsedMillis = new AtomicLong(nowMillis);
    }

    String transferId()
    {
        return transferId;
    }

    Optional<Path> file(String name)
    {
        return Optional.ofNullable(files.get(name));
    }

    /** Records use: the set expires a while after its last use, not after it was opened. */
    void used(long nowMillis, boolean touchPin)
    {
        lastUsedMillis.accumulateAndGet(nowMillis, Math::max);
        if (touchPin) {
            touch.run();
        }
    }

    boolean expired(long nowMillis, long lifetimeMillis)
    {
        return nowMillis - lastUsedMillis.get() > lifetimeMillis;
    }

    /** Deletes the pin or the snapshot; only the first call does anything. */
    void release()
    {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
