package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Writes the values of chosen topics as Avro in the Confluent wire format (magic byte {@code 0},
 * the 4-byte big-endian schema id, the Avro binary body) and every other topic as JSON, so a demo
 * or test can feed KaflowSQL mixed input. The Avro body is built from the record's JSON under the
 * topic's {@link PersonalizationAvroSchemas schema}, strictly (see {@link JsonAvroConverter}): a JSON
 * field the schema lacks is an {@link IllegalArgumentException} naming topic and field, so the
 * schemas cannot drift from the generator unnoticed.
 *
 * <p>{@link #register} registers each schema under the TopicNameStrategy subject
 * {@code <topic>-value} once, up front; encoding needs no registry.
 *
 * <p>Thread-safe: {@link #encode} is synchronized because it reuses one output buffer and binary
 * encoder (a {@link TrafficProducer} encodes from one thread, so the lock is uncontended).
 */
public final class AvroValueEncoding
        implements ValueEncoding
{
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_BYTES = 5;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ValueEncoding json = ValueEncoding.json();
    private final Map<String, TopicWriter> writers;
    private final Map<String, Integer> schemaIds;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder reusedEncoder;

    private AvroValueEncoding(Map<String, TopicWriter> writers)
    {
        this.writers = writers;
        Map<String, Integer> ids = new LinkedHashMap<>();
        writers.forEach((topic, writer) -> ids.put(topic, writer.schemaId));
        this.schemaIds = Collections.unmodifiableMap(ids);
    }

    /**
     * Registers {@link PersonalizationAvroSchemas#of} each of {@code avroTopics} (in name order) under
     * {@link #subject} and returns an encoding that writes those topics as Avro, the rest as JSON.
     *
     * @throws IllegalArgumentException if a topic has no schema
     */
    public static AvroValueEncoding register(SchemaRegistryClient registry, Set<String> avroTopics)
    {
        requireNonNull(registry, "registry is null");
        requireNonNull(avroTopics, "avroTopics is null");
        Map<String, TopicWriter> writers = new LinkedHashMap<>();
        for (String topic : new TreeSet<>(avroTopics)) {
            Schema schema = PersonalizationAvroSchemas.of(topic);
            int id = registry.register(subject(topic), schema);
            writers.put(topic, new TopicWriter(id, schema, new JsonAvroConverter(topic, schema)));
        }
        return new AvroValueEncoding(writers);
    }

    /** The registry subject of a topic's values: {@code <topic>-value}. */
    public static String subject(String topic)
    {
        return requireNonNull(topic, "topic is null") + "-value";
    }

    /** The registered schema id of each Avro topic, in topic name order. */
    public Map<String, Integer> schemaIds()
    {
        return schemaIds;
    }

    @Override
    public synchronized byte[] encode(GeneratedRecord record)
    {
        requireNonNull(record, "record is null");
        TopicWriter writer = writers.get(record.topic());
        if (writer == null) {
            return json.encode(record);
        }
        GenericData.Record avro = writer.converter.toRecord(parse(record));
        buffer.reset();
        buffer.write(writer.header, 0, HEADER_BYTES);
        try {
            reusedEncoder = EncoderFactory.get().binaryEncoder(buffer, reusedEncoder);
            writer.datumWriter.write(avro, reusedEncoder);
            reusedEncoder.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return buffer.toByteArray();
    }

    private JsonNode parse(GeneratedRecord record)
    {
        try {
            return mapper.readTree(record.json());
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("topic " + record.topic() + ": the record value is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** What encoding one Avro topic needs: its wire header, schema converter and datum writer. */
    private static final class TopicWriter
    {
        private final int schemaId;
        private final byte[] header;
        private final JsonAvroConverter converter;
        private final GenericDatumWriter<GenericData.Record> datumWriter;

        TopicWriter(int schemaId, Schema schema, JsonAvroConverter converter)
        {
            this.schemaId = schemaId;
            this.header = new byte[] {MAGIC_BYTE, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId};
            this.converter = converter;
            this.datumWriter = new GenericDatumWriter<>(schema);
        }
    }
}
