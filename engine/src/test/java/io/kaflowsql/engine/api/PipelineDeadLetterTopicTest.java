package io.kaflowsql.engine.api;

import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The pipeline key {@code output.dead_letter_topic}. */
class PipelineDeadLetterTopicTest
{
    private static final String PIPELINE = """
            name: enrich
            query: |
              SELECT c.event_id, c.user_id, u.tier AS tier
              FROM clicks c
              LEFT JOIN users u ON c.user_id = u.user_id
            output:
              topic: enriched
              key: user_id
            state:
              dimensions: [users]
            """;

    private final PipelineLoader loader = new PipelineLoader();

    @Test
    void deadLetterTopicDefaultsToTheOutputTopicWithDlqSuffix()
    {
        OutputSpec output = loader.load(PIPELINE, "enrich.yaml").definition().output();

        assertThat(output.deadLetterTopic()).isEqualTo("enriched-dlq");
    }

    @Test
    void configuredDeadLetterTopicIsUsedAndSurvivesAFormatChange()
    {
        String text = PIPELINE.replace("  key: user_id\n", "  key: user_id\n  dead_letter_topic: enrich.rejected\n");
        CompiledPipeline pipeline = loader.load(text, "enrich.yaml", definition -> definition.withOutputFormat(OutputFormat.JSON));

        assertThat(pipeline.definition().output().deadLetterTopic()).isEqualTo("enrich.rejected");
    }

    @Test
    void misspelledKeyIsLocatedAndSuggested()
    {
        ConfigProblem problem = single(PIPELINE.replace("  key: user_id\n", "  key: user_id\n  dead_leter_topic: x\n"));

        assertThat(problem.file()).isEqualTo("enrich.yaml");
        assertThat(problem.line()).isEqualTo(9);
        assertThat(problem.column()).isEqualTo(3);
        assertThat(problem.message()).contains("unknown key 'output.dead_leter_topic'").contains("did you mean 'dead_letter_topic'");
    }

    @Test
    void invalidTopicNameIsLocatedAndExplained()
    {
        ConfigProblem problem = single(PIPELINE.replace("  key: user_id\n", "  key: user_id\n  dead_letter_topic: bad topic!\n"));

        assertThat(problem.line()).isEqualTo(9);
        assertThat(problem.column()).isEqualTo(22);
        assertThat(problem.key()).isEqualTo("output.dead_letter_topic");
        assertThat(problem.message()).contains("'bad topic!'").contains("letters, digits");
    }

    @Test
    void deadLetterTopicMustDifferFromTheOutputAndTheSources()
    {
        ConfigProblem sameAsOutput = single(PIPELINE.replace("  key: user_id\n", "  key: user_id\n  dead_letter_topic: enriched\n"));
        assertThat(sameAsOutput.key()).isEqualTo("output.dead_letter_topic");
        assertThat(sameAsOutput.message()).contains("must differ from the output topic 'enriched'");

        ConfigProblem aSource = single(PIPELINE.replace("  key: user_id\n", "  key: user_id\n  dead_letter_topic: clicks\n"));
        assertThat(aSource.line()).isEqualTo(9);
        assertThat(aSource.message()).contains("'clicks' is also read by the query");
    }

    private ConfigProblem single(String text)
    {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class, () -> loader.load(text, "enrich.yaml"));
        assertThat(error).as("expected the pipeline to be rejected").isNotNull();
        List<ConfigProblem> problems = error.problems();
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }
}
