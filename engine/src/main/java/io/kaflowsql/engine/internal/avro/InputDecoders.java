package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.internal.codec.JsonRowDecoder;
import io.kaflowsql.engine.internal.codec.RecordDecodeException;
import io.kaflowsql.engine.internal.codec.RowDecoder;
import io.kaflowsql.engine.internal.plan.SourcePlan;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Makes the decoder of each source. Input format is detected per record from its first byte, so JSON
 * and Avro topics (even JSON and Avro records in one topic) mix freely in one pipeline with no
 * per-topic setting: a Confluent wire-format record starts with the magic byte {@code 0x00}, which no
 * JSON text can start with (JSON starts with {@code {}, {@code [} or whitespace). Avro needs a schema
 * registry; without one an Avro record is dead-lettered with a message saying so.
 *
 * <p>Thread-safe; the decoders it makes are not (one per task or loader thread).
 */
public final class InputDecoders
{
    public static final InputDecoders JSON_ONLY = new InputDecoders(Optional.empty());

    private final Optional<SchemaRegistryClient> registry;

    public InputDecoders(Optional<SchemaRegistryClient> registry)
    {
        this.registry = requireNonNull(registry, "registry is null");
    }

    public RowDecoder forSource(SourcePlan source)
    {
        JsonRowDecoder json = new JsonRowDecoder(source);
        RowDecoder avro = registry.<RowDecoder>map(client -> new AvroRowDecoder(source, client))
                .orElse(value -> {
                    throw new RecordDecodeException("the record is Avro (Confluent wire format) but no schema-registry is configured", null);
                });
        return value -> value != null && value.length > 0 && value[0] == AvroRowDecoder.MAGIC_BYTE ? avro.decode(value) : json.decode(value);
    }
}
