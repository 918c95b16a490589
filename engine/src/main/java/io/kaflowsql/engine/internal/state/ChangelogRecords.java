package io.kaflowsql.engine.internal.state;

import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.SupportedVersions;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The record layout of a task's changelog, and how a record is applied back to a store on restore.
 * Keys are logical, not RocksDB's physical keys, so the changelog stays compactable (one live record per
 * event row, held record and metadata entry) and independent of the store's internal indexes, which
 * restore rebuilds:
 *
 * <pre>
 * event row      key 'E' [source:1][key:utf8]   value = StateValues.encodeEvent (null = deleted/expired)
 * held record    key 'P' [id:8]                 value = StateValues.encodePending (null = released/expired)
 * metadata       key 'M' [name:utf8]            value = the metadata bytes (stream time)
 * </pre>
 *
 * Every record carries its format version ({@link Format#CHANGELOG}) as the one-byte Kafka header
 * {@value #VERSION_HEADER}; a record without it was written before records were versioned and is version 1. A
 * restore refuses a record of a version this build does not read ({@link #checkVersion}) instead of misreading it.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChangelogRecords
{
    /** Kafka header holding a changelog record's format version (one byte). */
    public static final String VERSION_HEADER = "kaflowsql.v";
    private static final byte EVENT = 'E';
    private static final byte PENDING = 'P';
    private static final byte META = 'M';

    private ChangelogRecords() {}

    static byte[] eventKey(int source, String key)
    {
        return prefixed(EVENT, StateKeys.eventKey(source, key));
    }

    static byte[] pendingKey(long id)
    {
        return prefixed(PENDING, StateKeys.pendingKey(id));
    }

    static byte[] metaKey(String name)
    {
        return prefixed(META, name.getBytes(StandardCharsets.UTF_8));
    }

    /** The header value that marks a record of format {@code version}. */
    public static byte[] versionHeader(int version)
    {
        if (version < 1 || version > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("changelog format version out of range: " + version);
        }
        return new byte[] {(byte) version};
    }

    /** The format version of a record with these headers: its {@value #VERSION_HEADER} header, 1 without one. */
    public static int version(Headers headers)
    {
        Header header = headers == null ? null : headers.lastHeader(VERSION_HEADER);
        if (header == null || header.value() == null || header.value().length == 0) {
            return 1;
        }
        return header.value()[0];
    }

    /**
     * Checks that a record with these headers is of a version {@code supported} reads.
     *
     * @param where names the record for the message ("at offset 12 of changelog-0")
     * @throws io.kaflowsql.protocol.UnsupportedFormatVersionException otherwise
     */
    public static void checkVersion(Headers headers, SupportedVersions supported, String where)
    {
        supported.check(Format.CHANGELOG, version(headers), where);
    }

    /**
     * Applies one changelog record to {@code store} (which must not log it again).
     *
     * @throws IllegalArgumentException when the key is not a changelog key of this layout
     */
    public static void apply(TaskStore store, byte[] key, byte[] value)
    {
        requireNonNull(store, "store is null");
        requireNonNull(key, "key is null");
        if (key.length < 2) {
            throw new IllegalArgumentException("changelog key too short: " + key.length + " bytes");
        }
        byte[] body = Arrays.copyOfRange(key, 1, key.length);
        switch (key[0]) {
            case EVENT -> {
                int source = StateKeys.eventSource(body);
                String rowKey = StateKeys.eventKeyString(body);
                if (value == null) {
                    store.deleteEvent(source, rowKey);
                }
                else {
                    store.putEvent(source, rowKey, StateValues.decodeEvent(value));
                }
            }
            case PENDING -> {
                long id = StateKeys.readLongValue(body);
                if (value == null) {
                    store.removePending(id);
                }
                else {
                    StateValues.Pending held = StateValues.decodePending(value);
                    store.restorePending(id, held.row(), held.index());
                }
            }
            case META -> {
                if (value != null) {
                    store.putMeta(new String(body, StandardCharsets.UTF_8), value);
                }
            }
            default -> throw new IllegalArgumentException("unknown changelog record kind '" + (char) key[0] + "'");
        }
    }

    /**
     * Like {@link #apply(TaskStore, byte[], byte[])} for a RocksDB store being restored: event rows go
     * into large unlogged write batches without being decoded. Call {@link TaskStore#flush()} at the end.
     */
    public static void restore(RocksTaskStore store, byte[] key, byte[] value)
    {
        requireNonNull(store, "store is null");
        requireNonNull(key, "key is null");
        if (key.length >= 2 && key[0] == EVENT) {
            try {
                store.restoreEvent(Arrays.copyOfRange(key, 1, key.length), value);
            }
            catch (org.rocksdb.RocksDBException e) {
                throw new StateStoreException("cannot restore an event row", e);
            }
            return;
        }
        apply(store, key, value);
    }

    private static byte[] prefixed(byte kind, byte[] body)
    {
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = kind;
        System.arraycopy(body, 0, bytes, 1, body.length);
        return bytes;
    }
}
