package io.kaflowsql.node.internal.catalog;

/** The catalog topic cannot be written now (Kafka unreachable, timed out): the change was not made; retry. */
public final class CatalogUnavailableException
        extends RuntimeException
{
    CatalogUnavailableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
