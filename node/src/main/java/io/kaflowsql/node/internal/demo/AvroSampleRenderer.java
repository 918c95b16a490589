package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Renders a Confluent wire-format Avro value as text for the demo's samples: the writer schema is
 * fetched from the registry by the id in the header and the record printed as Avro's JSON-like text.
 * A value it cannot read is shown as such, never thrown.
 *
 * <p>Thread-safe (the registry client is; the reader is made per value, which is fine for a few samples).
 */
final class AvroSampleRenderer
        implements Function<byte[], String>
{
    private final SchemaRegistryClient registry;

    AvroSampleRenderer(SchemaRegistryClient registry)
    {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public String apply(byte[] value)
    {
        if (value == null) {
            return "null";
        }
        if (value.length < 5 || value[0] != 0) {
            return "<not Avro wire format, " + value.length + " bytes>";
        }
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        try {
            GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(registry.schemaById(schemaId));
            GenericRecord record = reader.read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
            return "(schema id " + schemaId + ") " + record;
        }
        catch (IOException | RuntimeException e) {
            return "<unreadable Avro, schema id " + schemaId + ": " + e.getMessage() + ">";
        }
    }
}
