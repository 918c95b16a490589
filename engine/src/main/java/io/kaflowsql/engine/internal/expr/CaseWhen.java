package io.kaflowsql.engine.internal.expr;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A searched CASE: the result of the first condition that is TRUE (FALSE and NULL do not match),
 * else the ELSE result (NULL when absent). Stateless and thread-safe.
 */
public final class CaseWhen
        implements Evaluator
{
    private final Evaluator[] conditions;
    private final Evaluator[] results;
    private final Evaluator otherwise;

    public CaseWhen(List<Evaluator> conditions, List<Evaluator> results, Evaluator otherwise)
    {
        if (conditions.size() != results.size() || conditions.isEmpty()) {
            throw new IllegalArgumentException("CASE needs as many results as conditions, at least one");
        }
        this.conditions = conditions.toArray(Evaluator[]::new);
        this.results = results.toArray(Evaluator[]::new);
        this.otherwise = requireNonNull(otherwise, "otherwise is null");
    }

    @Override
    public Object evaluate(Object[][] frame)
    {
        for (int i = 0; i < conditions.length; i++) {
            Object condition = conditions[i].evaluate(frame);
            if (condition instanceof Boolean matched) {
                if (matched) {
                    return results[i].evaluate(frame);
                }
            }
            else if (condition != null) {
                throw ValueTypes.mismatch("CASE WHEN", "BOOLEAN", condition);
            }
        }
        return otherwise.evaluate(frame);
    }
}
