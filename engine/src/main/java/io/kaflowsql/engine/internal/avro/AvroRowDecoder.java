package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.internal.codec.RecordDecodeException;
import io.kaflowsql.engine.internal.codec.RowDecoder;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Decodes Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, binary body)
 * into the column slots of one source. The writer schema is fetched from the registry by id (the
 * client caches it); which writer field feeds which slot is worked out once per schema id, by field
 * name, so producers may evolve their schema without a restart. Values are converted to the engine's
 * model by {@link AvroValues}.
 *
 * <p>An id the registry does not know, or a body that does not match its schema, is a
 * {@link RecordDecodeException} (the record goes to the dead letters). A registry that cannot be
 * reached is not the record's fault: that {@link SchemaRegistryException} propagates, so the task
 * retries instead of dead-lettering good records.
 *
 * <p>Not thread-safe: reuses one binary decoder. One instance per task or loader thread.
 */
public final class AvroRowDecoder
        implements RowDecoder
{
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_BYTES = 5;

    private final Map<String, Integer> slots;
    private final int width;
    private final boolean keepAll;
    private final SchemaRegistryClient registry;
    private final Map<Integer, WriterLayout> layouts = new HashMap<>();
    private BinaryDecoder reusedDecoder;

    public AvroRowDecoder(SourcePlan source, SchemaRegistryClient registry)
    {
        requireNonNull(source, "source is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.slots = source.slotsByName();
        this.width = source.rowWidth();
        this.keepAll = source.keepAllColumns();
    }

    @Override
    public Object[] decode(byte[] value)
            throws RecordDecodeException
    {
        if (value == null) {
            throw new RecordDecodeException("the record has no value (a tombstone)", null);
        }
        if (value.length < HEADER_BYTES || value[0] != MAGIC_BYTE) {
            throw new RecordDecodeException("not in the Confluent Avro wire format (magic byte 0 and a 4-byte schema id)", null);
        }
        int schemaId = ((value[1] & 0xff) << 24) | ((value[2] & 0xff) << 16) | ((value[3] & 0xff) << 8) | (value[4] & 0xff);
        WriterLayout layout = layoutOf(schemaId);
        GenericRecord record;
        try {
            reusedDecoder = DecoderFactory.get().binaryDecoder(value, HEADER_BYTES, value.length - HEADER_BYTES, reusedDecoder);
            record = layout.reader.read(null, reusedDecoder);
            if (!reusedDecoder.isEnd()) {
                throw new RecordDecodeException("unexpected bytes after the Avro record of schema id " + schemaId, null);
            }
        }
        catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new RecordDecodeException("invalid Avro body for schema id " + schemaId + ": " + e.getMessage(), e);
        }
        return layout.toRow(record);
    }

    private WriterLayout layoutOf(int schemaId)
            throws RecordDecodeException
    {
        WriterLayout layout = layouts.get(schemaId);
        if (layout != null) {
            return layout;
        }
        Schema schema;
        try {
            schema = registry.schemaById(schemaId);
        }
        catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new RecordDecodeException("schema id " + schemaId + " is not in the schema registry", e);
            }
            throw e;
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw new RecordDecodeException("schema id " + schemaId + " is a " + schema.getType().getName() + ", not a record", null);
        }
        layout = new WriterLayout(schema, slots, width, keepAll);
        layouts.put(schemaId, layout);
        return layout;
    }

    /** How the fields of one writer schema map to this source's slots. */
    private static final class WriterLayout
    {
        private final GenericDatumReader<GenericRecord> reader;
        private final List<Schema.Field> fields;
        private final int[] slotOfField;
        private final int width;
        private final boolean keepAll;

        WriterLayout(Schema schema, Map<String, Integer> slots, int width, boolean keepAll)
        {
            this.reader = new GenericDatumReader<>(schema);
            this.fields = schema.getFields();
            this.slotOfField = new int[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                slotOfField[i] = slots.getOrDefault(fields.get(i).name(), -1);
            }
            this.width = width;
            this.keepAll = keepAll;
        }

        Object[] toRow(GenericRecord record)
        {
            Object[] row = new Object[width];
            Map<String, Object> all = keepAll ? new LinkedHashMap<>() : null;
            for (int i = 0; i < slotOfField.length; i++) {
                if (slotOfField[i] < 0 && all == null) {
                    continue;
                }
                Object value = AvroValues.toEngine(record.get(i), fields.get(i).schema());
                if (slotOfField[i] >= 0) {
                    row[slotOfField[i]] = value;
                }
                if (all != null) {
                    all.put(fields.get(i).name(), value);
                }
            }
            if (all != null) {
                row[width - 1] = all;
            }
            return row;
        }
    }
}
