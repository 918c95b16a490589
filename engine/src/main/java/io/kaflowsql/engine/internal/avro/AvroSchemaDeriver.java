package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.internal.expr.ColumnRef;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.plan.SqlType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The Avro record schema of a pipeline's output: derived from the static types of the SELECT list, or
 * the explicit {@code output.schema}, checked against the output columns.
 *
 * <p>Derived mapping ({@link SqlType} to Avro; every column is {@code ["null", T]} with default null
 * unless the compiler proves it NOT NULL, then plain {@code T}):
 * <ul>
 *   <li>VARCHAR to string, BIGINT to long, DOUBLE to double, BOOLEAN to boolean;</li>
 *   <li>ARRAY to an array of {@code ["null", "string"]}: the type system does not know element types,
 *       so elements are written as text (numbers in their JSON form);</li>
 *   <li>ANY, a column passed through from a source: when the source topic's values are Avro with a
 *       schema registered under {@code <topic>-value}, the column takes that field's type from the latest
 *       version (made nullable: a LEFT JOIN may miss), so a price stays a double, tags an array and a
 *       {@code timestamp-millis} stays one. Types with named parts (records, enums, fixed; their names
 *       from different sources could clash), bytes and other logical types become string. Otherwise (a schema-less JSON source) string: the
 *       value's text, JSON text for arrays and objects; a pipeline that wants typed columns there
 *       declares them in {@code output.schema}.</li>
 * </ul>
 * SQL has no DECIMAL, INTEGER or TIMESTAMP output type in this engine (decimal literals are DOUBLE,
 * integers BIGINT), so none appears in a derived schema; an explicit schema may use int, float, enum,
 * map and {@code long}/{@code timestamp-millis}.
 *
 * <p>A {@code SELECT *} has no compile-time field list, so it needs an explicit schema. Stateless and
 * thread-safe.
 */
public final class AvroSchemaDeriver
{
    public static final String NAMESPACE = "io.kaflowsql.output";

    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private AvroSchemaDeriver() {}

    /** The explicit {@code output.schema} when present (validated), the derived schema otherwise (JSON sources). */
    public static Schema schemaOf(CompiledPipeline pipeline)
    {
        return schemaOf(pipeline, topic -> Optional.empty());
    }

    /**
     * @param sourceSchemas the Avro record schema of a source topic's values, when it has one (its latest
     *         registered version); types the columns passed through from it
     */
    public static Schema schemaOf(CompiledPipeline pipeline, Function<String, Optional<Schema>> sourceSchemas)
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(sourceSchemas, "sourceSchemas is null");
        List<OutputItem.Column> columns = columns(pipeline);
        boolean hasStar = pipeline.plan().hasStar();
        return pipeline.definition().output().schema()
                .map(json -> explicit(json, columns, hasStar))
                .orElseGet(() -> derive(pipeline.name(), columns, hasStar, column -> passThroughType(pipeline, column, sourceSchemas)));
    }

    /** The source field's Avro type of a column that reads a source column unchanged, if the source has a schema. */
    private static Optional<Schema> passThroughType(CompiledPipeline pipeline, OutputItem.Column column, Function<String, Optional<Schema>> sourceSchemas)
    {
        if (column.type() != SqlType.ANY || !(column.evaluator() instanceof ColumnRef ref)) {
            return Optional.empty();
        }
        SourcePlan source = pipeline.plan().sources().get(ref.sourceIndex());
        if (ref.slot() >= source.columns().size()) {
            return Optional.empty();
        }
        String field = source.columns().get(ref.slot());
        return sourceSchemas.apply(source.topic())
                .filter(schema -> schema.getType() == Schema.Type.RECORD)
                .map(schema -> schema.getField(field))
                .map(Schema.Field::schema)
                .filter(AvroSchemaDeriver::passesThrough)
                .map(AvroSchemaDeriver::withoutNull);
    }

    /**
     * True when the values {@link AvroValues} reads from {@code schema} can be written back as it: no named
     * types (record, enum, fixed), no bytes, and no logical type but {@code timestamp-millis} on long (a
     * {@code date} or {@code timestamp-micros} is read as ISO text, which only a string field keeps).
     */
    private static boolean passesThrough(Schema schema)
    {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED, BYTES -> false;
            case INT, FLOAT, DOUBLE, BOOLEAN -> schema.getLogicalType() == null;
            case LONG -> schema.getLogicalType() == null || schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
            case ARRAY -> passesThrough(schema.getElementType());
            case MAP -> passesThrough(schema.getValueType());
            case UNION -> schema.getTypes().stream().allMatch(AvroSchemaDeriver::passesThrough);
            case STRING, NULL -> true;
        };
    }

    /** The non-null branch of {@code ["null", T]} (or the schema itself); multi-branch unions stay as they are. */
    private static Schema withoutNull(Schema schema)
    {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : Schema.createUnion(branches);
    }

    /** A record name from a pipeline name: invalid characters become {@code _}, a leading digit gets one. */
    public static String recordName(String pipelineName)
    {
        String name = pipelineName.replaceAll("[^A-Za-z0-9_]", "_");
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            name = "_" + name;
        }
        return name;
    }

    static Schema derive(String pipelineName, List<OutputItem.Column> columns, boolean hasStar)
    {
        return derive(pipelineName, columns, hasStar, column -> Optional.empty());
    }

    private static Schema derive(String pipelineName, List<OutputItem.Column> columns, boolean hasStar,
            Function<OutputItem.Column, Optional<Schema>> passThroughTypes)
    {
        if (hasStar) {
            throw new IllegalArgumentException("output format avro: the query uses SELECT *, whose fields are only known per record; "
                    + "list the columns or give output.schema");
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (OutputItem.Column column : columns) {
            if (!AVRO_NAME.matcher(column.name()).matches()) {
                throw new IllegalArgumentException("output format avro: output column '" + column.name()
                        + "' is not a valid Avro field name ([A-Za-z_][A-Za-z0-9_]*); give it an alias");
            }
            Schema type = passThroughTypes.apply(column).orElseGet(() -> avroType(column.type()));
            if (column.nullable()) {
                List<Schema> branches = new ArrayList<>();
                branches.add(Schema.create(Schema.Type.NULL));
                branches.addAll(type.getType() == Schema.Type.UNION ? type.getTypes() : List.of(type));
                fields.add(new Schema.Field(column.name(), Schema.createUnion(branches), null, Schema.Field.NULL_DEFAULT_VALUE));
            }
            else {
                fields.add(new Schema.Field(column.name(), type));
            }
        }
        try {
            return Schema.createRecord(recordName(pipelineName), "Output of pipeline " + pipelineName, NAMESPACE, false, fields);
        }
        catch (org.apache.avro.AvroRuntimeException e) {
            throw new IllegalArgumentException("output format avro: " + e.getMessage(), e);
        }
    }

    private static Schema avroType(SqlType type)
    {
        return switch (type) {
            case VARCHAR, ANY -> Schema.create(Schema.Type.STRING);
            case BIGINT -> Schema.create(Schema.Type.LONG);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case ARRAY -> Schema.createArray(Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)));
        };
    }

    /**
     * Parses an explicit schema and checks that it is a record with a compatible field for every output
     * column. Fields that are not output columns are allowed only with {@code SELECT *} (looked up per
     * record among the star's fields). A field without a {@code "null"} branch is allowed for a nullable
     * column (a pass-through id the source always has): a row where it is NULL fails to encode and is
     * dead-lettered.
     */
    static Schema explicit(String json, List<OutputItem.Column> columns, boolean hasStar)
    {
        Schema schema;
        try {
            schema = new Schema.Parser().parse(json);
        }
        catch (SchemaParseException e) {
            throw new IllegalArgumentException("output.schema: not a valid Avro schema: " + e.getMessage(), e);
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("output.schema: must be an Avro record, got " + name(schema));
        }
        for (Schema.Field field : schema.getFields()) {
            AvroValueWriter.checkSupported(field.name(), field.schema());
        }
        for (OutputItem.Column column : columns) {
            Schema.Field field = schema.getField(column.name());
            if (field == null) {
                throw new IllegalArgumentException("output.schema: field '" + column.name() + "' missing for output column " + column.name());
            }
            checkCompatible(column, field.schema());
        }
        if (!hasStar) {
            for (Schema.Field field : schema.getFields()) {
                if (columns.stream().noneMatch(column -> column.name().equals(field.name()))) {
                    throw new IllegalArgumentException("output.schema: field '" + field.name() + "' is not an output column of the query");
                }
            }
        }
        return schema;
    }

    private static void checkCompatible(OutputItem.Column column, Schema field)
    {
        List<Schema> branches = field.getType() == Schema.Type.UNION ? field.getTypes() : List.of(field);
        boolean compatible = branches.stream().anyMatch(branch -> compatible(column.type(), branch.getType()));
        if (!compatible) {
            throw new IllegalArgumentException("output.schema: field '" + column.name() + "' is " + name(field) + ", incompatible with output column "
                    + column.name() + " of type " + column.type());
        }
    }

    /** Whether some values of a SQL type can be written as the Avro type (string takes any value's text). */
    private static boolean compatible(SqlType sql, Schema.Type avro)
    {
        if (avro == Schema.Type.STRING || sql == SqlType.ANY) {
            return avro != Schema.Type.NULL;
        }
        return switch (sql) {
            case VARCHAR -> avro == Schema.Type.ENUM;
            case BIGINT -> avro == Schema.Type.LONG || avro == Schema.Type.INT || avro == Schema.Type.DOUBLE || avro == Schema.Type.FLOAT;
            case DOUBLE -> avro == Schema.Type.DOUBLE || avro == Schema.Type.FLOAT;
            case BOOLEAN -> avro == Schema.Type.BOOLEAN;
            case ARRAY -> avro == Schema.Type.ARRAY;
            case ANY -> true;
        };
    }

    private static String name(Schema schema)
    {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().map(AvroSchemaDeriver::name).toList().toString();
        }
        String type = schema.getType().getName();
        return schema.getLogicalType() == null ? type : type + " (" + schema.getLogicalType().getName() + ")";
    }

    static List<OutputItem.Column> columns(CompiledPipeline pipeline)
    {
        return pipeline.plan().outputs().stream()
                .filter(OutputItem.Column.class::isInstance)
                .map(OutputItem.Column.class::cast)
                .toList();
    }
}
