package io.kaflowsql.engine.api;

import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PipelineLoaderTest
{
    private static final String VALID = """
            name: enrich
            window: 2h
            query: |
              SELECT c.event_id, c.user_id, u.tier AS tier, h.freq AS freq
              FROM clicks c
              LEFT JOIN users u ON c.user_id = u.user_id
              LEFT JOIN history h ON c.user_id = h.user_id
            output:
              topic: enriched
              format: json
              key: user_id
            emission:
              type: smart
              require: [tier]
            state:
              events:
                default_ttl: 90m
                overrides:
                  history: 1d
              dimensions:
                - users
            """;

    private final PipelineLoader loader = new PipelineLoader();

    @Test
    void loadsRolesTtlsAndPartitionKey()
    {
        CompiledPipeline pipeline = loader.load(VALID, "enrich.yaml");

        assertThat(pipeline.sources()).extracting(SourceInfo::topic, SourceInfo::role).containsExactly(
                org.assertj.core.groups.Tuple.tuple("clicks", SourceRole.DRIVING),
                org.assertj.core.groups.Tuple.tuple("users", SourceRole.DIMENSION),
                org.assertj.core.groups.Tuple.tuple("history", SourceRole.EVENT_TABLE));
        assertThat(pipeline.sources().get(0).ttl()).contains(Duration.ofMinutes(90));
        assertThat(pipeline.sources().get(1).ttl()).isEmpty();
        assertThat(pipeline.sources().get(2).ttl()).contains(Duration.ofDays(1));
        assertThat(pipeline.partitionKey()).contains("user_id");
        assertThat(pipeline.partitionedTopics()).containsExactly("clicks", "history");
        assertThat(pipeline.dimensionTopics()).containsExactly("users");
        assertThat(pipeline.describe()).contains("users AS u  [dimension]  ON c.user_id = u.user_id")
                .contains("history AS h  [event table]  ON c.user_id = h.user_id  ttl 1d")
                .contains("partition key: c.user_id");
    }

    @Test
    void windowIsTheTtlWhenNothingElseSaysAndDurationsAcceptEveryUnit()
    {
        String text = VALID.replace("window: 2h", "window: 1d2h3m4s5ms").replace("    default_ttl: 90m\n", "");
        CompiledPipeline pipeline = loader.load(text, "enrich.yaml");

        assertThat(pipeline.sources().get(0).ttl()).contains(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5));
    }

    @Test
    void unknownKeyNamesFileLineColumnAndSuggestsTheKey()
    {
        ConfigProblem problem = single(VALID.replace("  default_ttl: 90m", "  default_tll: 90m"));

        assertThat(problem.file()).isEqualTo("enrich.yaml");
        assertThat(problem.line()).isEqualTo(17);
        assertThat(problem.column()).isEqualTo(5);
        assertThat(problem.message()).contains("unknown key 'state.events.default_tll'").contains("did you mean 'default_ttl'");
    }

    @Test
    void badDurationSaysWhichUnitsExist()
    {
        ConfigProblem problem = single(VALID.replace("window: 2h", "window: 2 hours"));

        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.key()).isEqualTo("window");
        assertThat(problem.message()).contains("500ms, 30s, 15m, 2h or 1d");
    }

    @Test
    void requireMustNameAnOutputColumn()
    {
        ConfigProblem problem = single(VALID.replace("require: [tier]", "require:\n    - tier\n    - teir"));

        assertThat(problem.line()).isEqualTo(16);
        assertThat(problem.key()).isEqualTo("emission.require[1]");
        assertThat(problem.message()).contains("'teir' is not an output column").contains("did you mean 'tier'");
    }

    @Test
    void outputKeyMustBeSelected()
    {
        ConfigProblem problem = single(VALID.replace("key: user_id", "key: session_id"));

        assertThat(problem.line()).isEqualTo(11);
        assertThat(problem.message()).contains("output key 'session_id' is not a column of the SELECT list");
    }

    @Test
    void dimensionsAndOverridesMustBeSourcesOfTheQuery()
    {
        String text = VALID.replace("    - users", "    - users\n    - products").replace("history: 1d", "history: 1d\n      orders: 1h");
        List<ConfigProblem> problems = problems(text);

        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(message -> assertThat(message).contains("dimension 'products' is not a source"))
                .anySatisfy(message -> assertThat(message).contains("TTL override for 'orders'"));
    }

    @Test
    void eventTablesMustJoinOnTheSameDrivingColumn()
    {
        String text = VALID.replace("LEFT JOIN history h ON c.user_id = h.user_id",
                "LEFT JOIN history h ON c.user_id = h.user_id\n  LEFT JOIN carts k ON c.session_id = k.session_id");
        ConfigProblem problem = single(text);

        assertThat(problem.message()).contains("same driving-stream column").contains("c.session_id").contains("c.user_id");
    }

    @Test
    void eventTableMustJoinOnADrivingColumn()
    {
        String text = VALID.replace("LEFT JOIN history h ON c.user_id = h.user_id", "LEFT JOIN history h ON u.user_id = h.user_id");
        ConfigProblem problem = single(text);

        assertThat(problem.message()).contains("event table 'history' joins on u.user_id, which is not a column of the driving stream");
    }

    @Test
    void sqlErrorPointsAtTheLineOfTheFile()
    {
        ConfigProblem problem = single(VALID.replace("LEFT JOIN users u ON c.user_id = u.user_id", "LEFT JOIN users u ON c.user_id = x.user_id"));

        assertThat(problem.key()).isEqualTo("query");
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.message()).contains("x");
    }

    @Test
    void smartEmissionNeedsRequire()
    {
        ConfigProblem problem = single(VALID.replace("  require: [tier]\n", ""));

        assertThat(problem.message()).contains("smart emission needs 'require'");
    }

    @Test
    void missingRequiredKeyIsNamed()
    {
        ConfigProblem problem = single(VALID.replace("  topic: enriched\n", ""));

        assertThat(problem.message()).contains("missing required key 'output.topic'");
    }

    private ConfigProblem single(String text)
    {
        List<ConfigProblem> problems = problems(text);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private List<ConfigProblem> problems(String text)
    {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class, () -> loader.load(text, "enrich.yaml"));
        assertThat(error).as("expected the pipeline to be rejected").isNotNull();
        return error.problems();
    }
}
