package io.kaflowsql.node.bench.streams;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * A Jackson data-binding serde for one value type: JSON bytes to a record and back, with a reader and a
 * writer bound to the type once (no per-record type lookup). {@code null} bytes are a tombstone and read
 * as {@code null}; malformed JSON throws {@link SerializationException}, which the application's
 * deserialization handler logs and skips.
 *
 * <p>Thread-safe: {@link ObjectReader} and {@link ObjectWriter} are immutable and shared by all stream threads.
 */
final class JsonSerde<T>
        implements Serde<T>
{
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonSerde(Class<T> type)
    {
        requireNonNull(type, "type is null");
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
    }

    static <T> JsonSerde<T> of(Class<T> type)
    {
        return new JsonSerde<>(type);
    }

    @Override
    public Serializer<T> serializer()
    {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return writer.writeValueAsBytes(value);
            }
            catch (IOException e) {
                throw new SerializationException("cannot write " + value.getClass().getSimpleName() + " for " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer()
    {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return reader.readValue(bytes);
            }
            catch (IOException e) {
                throw new SerializationException("not a JSON record of " + topic, e);
            }
        };
    }
}
