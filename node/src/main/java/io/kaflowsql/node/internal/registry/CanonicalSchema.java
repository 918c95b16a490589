package io.kaflowsql.node.internal.registry;

import org.apache.avro.Schema;

import static java.util.Objects.requireNonNull;

/**
 * A parsed Avro schema with its canonical text: Avro's {@code Schema.toString()} of the parsed form.
 * Two registrations are "the same schema" when their canonical texts are equal, so whitespace and
 * field order inside the JSON objects do not matter while every attribute that changes the meaning
 * (names, types, defaults, order of fields) does.
 */
record CanonicalSchema(Schema schema, String text)
{
    CanonicalSchema
    {
        requireNonNull(schema, "schema is null");
        requireNonNull(text, "text is null");
    }

    /**
     * Parses with a fresh parser (a parser remembers named types, so reusing one would reject the
     * second definition of a record) that validates defaults.
     *
     * @throws IllegalArgumentException with Avro's reason when {@code text} is not a valid Avro schema
     */
    static CanonicalSchema parse(String text)
    {
        requireNonNull(text, "text is null");
        Schema schema;
        try {
            schema = new Schema.Parser().setValidateDefaults(true).parse(text);
        }
        catch (RuntimeException e) {
            // SchemaParseException, AvroTypeException, and Jackson's exceptions for broken JSON all land here.
            throw new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        return new CanonicalSchema(schema, schema.toString());
    }
}
