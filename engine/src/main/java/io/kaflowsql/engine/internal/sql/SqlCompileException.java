package io.kaflowsql.engine.internal.sql;

/**
 * The query is not valid for a pipeline. Positions are 1-based and relative to the query text
 * (the caller maps them to the pipeline file); the message says what is wrong and how to fix it.
 */
public final class SqlCompileException
        extends Exception
{
    private final int line;
    private final int column;

    public SqlCompileException(String message, int line, int column)
    {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** 1-based line within the query, or 0 when unknown. */
    public int line()
    {
        return line;
    }

    /** 1-based column within the query line, or 0 when unknown. */
    public int column()
    {
        return column;
    }
}
