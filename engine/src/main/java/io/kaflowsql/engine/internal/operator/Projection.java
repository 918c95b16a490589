package io.kaflowsql.engine.internal.operator;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.internal.codec.JoinKeys;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.StarColumns;

import java.util.List;

/**
 * The SELECT list of a pipeline: evaluates output values, finds the output key, and checks the
 * columns smart emission requires. Stateless and thread-safe.
 *
 * <p>Public (constructor, {@link #width}, {@link #evaluate}) only so the per-stage benchmark
 * ({@code pipelines/.../benchmark/EngineStagesBenchmark}) can time the SELECT list alone.
 */
public final class Projection
{
    private static final int NOT_EXPLICIT = -1;

    private final OutputItem[] items;
    private final StarColumns starColumns;
    private final String[] requiredNames;
    private final int[] requiredIndexes;
    private final String keyName;
    private final int keyIndex;

    public Projection(CompiledPipeline pipeline)
    {
        QueryPlan plan = pipeline.plan();
        this.items = plan.outputs().toArray(OutputItem[]::new);
        this.starColumns = StarColumns.of(plan.outputs());
        List<String> require = pipeline.definition().emission().require();
        this.requiredNames = require.toArray(String[]::new);
        this.requiredIndexes = require.stream().mapToInt(name -> explicitIndex(name)).toArray();
        this.keyName = pipeline.definition().output().key().orElse(null);
        this.keyIndex = keyName == null ? NOT_EXPLICIT : explicitIndex(keyName);
    }

    private int explicitIndex(String name)
    {
        for (int i = 0; i < items.length; i++) {
            if (items[i] instanceof OutputItem.Column column && column.name().equals(name)) {
                return i;
            }
        }
        return NOT_EXPLICIT;
    }

    public int width()
    {
        return items.length;
    }

    /** Evaluates every named column into {@code values}; {@code *} items leave their slot null. */
    public void evaluate(Object[][] frame, Object[] values)
    {
        for (int i = 0; i < items.length; i++) {
            if (items[i] instanceof OutputItem.Column column) {
                values[i] = column.evaluator().evaluate(frame);
            }
        }
    }

    /** True when every required column is non-NULL. */
    boolean complete(Object[][] frame, Object[] values)
    {
        for (int i = 0; i < requiredIndexes.length; i++) {
            if (valueOf(requiredIndexes[i], requiredNames[i], frame, values) == null) {
                return false;
            }
        }
        return true;
    }

    /** The output key in canonical text form, or null. */
    String key(Object[][] frame, Object[] values)
    {
        return keyName == null ? null : JoinKeys.canonical(valueOf(keyIndex, keyName, frame, values));
    }

    private Object valueOf(int index, String name, Object[][] frame, Object[] values)
    {
        return index != NOT_EXPLICIT ? values[index] : starColumns.valueOf(frame, name);
    }
}
