package io.kaflowsql.node.bench;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.SourceInfo;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.config.NodeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BenchNodesTest
{
    private static final Path SEED = Path.of("../pipelines/personalization/pipeline.yaml");

    @Test
    void seedVariantReadsTheGivenClickTopicAndWritesTheGivenOutputWithEverythingElseUnchanged()
            throws Exception
    {
        CompiledPipeline pipeline = BenchNodes.seedPipeline(SEED, "run1_clicks", "run1-out");

        assertThat(pipeline.sources()).extracting(SourceInfo::topic)
                .containsExactly("run1_clicks", "user_profiles", "products", "purchase_history");
        assertThat(pipeline.definition().output().topic()).isEqualTo("run1-out");
        assertThat(pipeline.sources().get(0).ttl()).contains(Duration.ofHours(1));
        assertThat(BenchNodes.sourceIndex(pipeline, "purchase_history")).isEqualTo(3);
    }

    @Test
    void seedTextForNodeProcessesReadsTheGivenClickTopicAndWritesTheGivenOutput()
            throws Exception
    {
        String text = BenchNodes.seedPipelineText(SEED, "clickstreams", "out_tp1k2");

        assertThat(text).contains("FROM clickstreams c").contains("topic: out_tp1k2").doesNotContain("topic: personalized_events");
    }

    @Test
    void eachRunGetsItsOwnClusterGroupStateAndGuarantee()
    {
        NodeConfig config = BenchNodes.config("127.0.0.1:9092", "drain3_eos", Path.of("/tmp/s"), ProcessingGuarantee.AT_LEAST_ONCE,
                Duration.ofMillis(100));

        assertThat(config.cluster().name()).isEqualTo("drain3_eos");
        assertThat(config.kafka().consumerGroup()).isEqualTo("drain3_eos");
        assertThat(config.state().dir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(config.processing()).isEqualTo(new NodeConfig.ProcessingSettings(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofMillis(100)));
        assertThat(config.http().port()).isZero();
    }
}
