package io.kaflowsql.engine.internal.operator;

/**
 * A result row cannot be written in the output format: a value the format cannot represent, or an
 * output key column whose value cannot be a Kafka key (an array or object). Like a bad input record, it
 * is a property of the record: the driving record goes to the dead-letter path
 * ({@link io.kaflowsql.engine.api.RejectReason#UNENCODABLE_OUTPUT}) and processing continues.
 *
 * <p>Thrown by {@link OutputEncoder} implementations; the built-in JSON encoder never throws it (it writes
 * every value of the engine's value model, non-finite doubles as strings).
 */
public final class OutputEncodingException
        extends RuntimeException
{
    public OutputEncodingException(String message)
    {
        super(message, null, false, false);
    }
}
