package io.kaflowsql.node.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class NodeConfigDefaultsTest
{
    @Test
    void pinsEveryDefault()
    {
        NodeConfig config = NodeConfig.defaults();

        assertThat(config.cluster().name()).isEqualTo("kaflowsql");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.kafka().consumerGroup()).isEqualTo("kaflowsql");
        assertThat(config.kafka().clientProperties()).isEmpty();
        assertThat(config.schemaRegistry().url()).isEmpty();
        assertThat(config.state().dir()).isEqualTo(Path.of("./state"));
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.pipelines().dir()).isEmpty();
        assertThat(config.logging().level()).isEqualTo("INFO");
    }

    @Test
    void loadingWithoutFileEnvironmentOrOptionsGivesTheDefaults()
    {
        assertThat(NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none())).isEqualTo(NodeConfig.defaults());
    }
}
