package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.SourceInfo;
import io.kaflowsql.engine.api.SourceRole;

import java.util.Locale;
import java.util.StringJoiner;

/** The join hit rate of each joined source of a pipeline, as the console shows it: {@code user_profiles 95.0%  products 100.0%}. */
final class JoinHitRates
{
    private JoinHitRates() {}

    static String describe(PipelineMetrics metrics)
    {
        StringJoiner hits = new StringJoiner("  ");
        for (SourceInfo source : metrics.sources()) {
            if (source.role() != SourceRole.DRIVING) {
                double rate = metrics.hitRate(source.index());
                hits.add(source.topic() + " " + (Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.1f%%", rate * 100)));
            }
        }
        return hits.toString();
    }
}
