package io.kaflowsql.engine.internal.plan;

/**
 * Static type of an output column, as far as the compiler can know it. Source topics are
 * schema-less JSON, so a column passed through from a source is {@link #ANY} unless an expression
 * fixes its type.
 */
public enum SqlType
{
    VARCHAR, BIGINT, DOUBLE, BOOLEAN, ARRAY, ANY
}
