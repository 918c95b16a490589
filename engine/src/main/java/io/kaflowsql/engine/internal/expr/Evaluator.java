package io.kaflowsql.engine.internal.expr;

/**
 * A compiled scalar expression over the column slots of one evaluation frame.
 *
 * <p>The frame holds one slot array per source of the query: {@code frame[0]} is the driving
 * stream, {@code frame[i]} the i-th joined source in declaration order; {@code frame[i] == null}
 * means the lookup into source i missed (every column of it reads as SQL NULL).
 *
 * <p>Values are {@code null} (SQL NULL), {@link String}, {@link Long}, {@link Double},
 * {@link Boolean}, {@link java.util.List} (arrays, passed through) or {@link java.util.Map}
 * (nested JSON objects, passed through). Implementations are stateless and thread-safe; a failure
 * to evaluate (type mismatch, overflow, bad cast) is an {@link EvaluationException}.
 */
@FunctionalInterface
public interface Evaluator
{
    Object evaluate(Object[][] frame);
}
