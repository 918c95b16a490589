package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.internal.operator.OutputEncoder;
import io.kaflowsql.engine.internal.operator.OutputEncodingException;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.StarColumns;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Writes one output row in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id,
 * then the Avro binary encoding of the row as a record of {@code schema} (see {@link AvroSchemaDeriver}).
 *
 * <p>Each schema field takes the value of the output column of the same name; a field that is not an
 * explicit column is looked up among the fields of the query's {@code SELECT *} sources (driving stream
 * first, first non-NULL wins, as for the output key). Values are converted to the field's type as
 * {@link AvroValueWriter} describes; a value that does not fit throws {@link OutputEncodingException}
 * naming the field, so the runtime dead-letters the record.
 *
 * <p>The field writers are compiled once; the hot path reuses one buffer and one {@link BinaryEncoder}
 * (a direct encoder, so nothing is buffered between rows). Not thread-safe: each task owns one.
 */
public final class AvroOutputEncoder
        implements OutputEncoder
{
    private static final byte MAGIC = 0;
    private static final int NOT_EXPLICIT = -1;

    private final Schema schema;
    private final String[] fieldNames;
    private final AvroValueWriter[] writers;
    private final int[] valueIndexes;
    private final StarColumns starColumns;
    private final byte[] header;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final BinaryEncoder encoder;

    /**
     * @param schema a record schema valid for the pipeline ({@link AvroSchemaDeriver#schemaOf})
     * @param schemaId the id the schema registry gave {@code schema}
     */
    public AvroOutputEncoder(CompiledPipeline pipeline, Schema schema, int schemaId)
    {
        requireNonNull(pipeline, "pipeline is null");
        this.schema = requireNonNull(schema, "schema is null");
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("an Avro output schema is a record, got " + schema.getType().getName());
        }
        List<OutputItem> items = pipeline.plan().outputs();
        List<Schema.Field> fields = schema.getFields();
        this.fieldNames = new String[fields.size()];
        this.writers = new AvroValueWriter[fields.size()];
        this.valueIndexes = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Schema.Field field = fields.get(i);
            fieldNames[i] = field.name();
            AvroValueWriter.checkSupported(field.name(), field.schema());
            writers[i] = AvroValueWriter.of(field.schema());
            valueIndexes[i] = indexOf(items, field.name());
        }
        this.starColumns = StarColumns.of(items);
        this.header = new byte[] {MAGIC, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId};
        this.encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
    }

    private static int indexOf(List<OutputItem> items, String name)
    {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof OutputItem.Column column && column.name().equals(name)) {
                return i;
            }
        }
        return NOT_EXPLICIT;
    }

    public Schema schema()
    {
        return schema;
    }

    @Override
    public byte[] encode(Object[][] frame, Object[] values)
    {
        buffer.reset();
        buffer.write(header, 0, header.length);
        for (int i = 0; i < writers.length; i++) {
            Object value = valueIndexes[i] == NOT_EXPLICIT ? starColumns.valueOf(frame, fieldNames[i]) : values[valueIndexes[i]];
            try {
                writers[i].write(value, encoder);
            }
            catch (OutputEncodingException e) {
                throw new OutputEncodingException("Avro output field '" + fieldNames[i] + "': " + e.getMessage());
            }
            catch (IOException e) {
                // the buffer is in memory; a direct encoder only throws what the stream throws
                throw new UncheckedIOException(e);
            }
        }
        return buffer.toByteArray();
    }
}
