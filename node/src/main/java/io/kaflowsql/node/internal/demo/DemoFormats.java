package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.registry.EmbeddedSchemaRegistry;
import io.kaflowsql.pipelines.personalization.AvroValueEncoding;
import io.kaflowsql.pipelines.personalization.OutputLatencyProbe;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.ValueEncoding;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The demo's formats. With {@code --format json} everything is JSON and there is no registry. With
 * {@code --format avro} an embedded Confluent-compatible schema registry starts beside the broker, the
 * pipeline writes Avro, and the generated input is mixed, as real estates are: clickstreams and user
 * profiles in Avro (schemas registered under {@code <topic>-value}), products and purchase history in
 * JSON. Samples of the output are decoded for display.
 */
final class DemoFormats
        implements AutoCloseable
{
    static final Set<String> AVRO_INPUTS = Set.of(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.USER_PROFILES);

    private final Optional<EmbeddedSchemaRegistry> registry;
    private final Optional<SchemaRegistryClient> client;
    private final ValueEncoding inputEncoding;

    private DemoFormats(Optional<EmbeddedSchemaRegistry> registry, Optional<SchemaRegistryClient> client, ValueEncoding inputEncoding)
    {
        this.registry = registry;
        this.client = client;
        this.inputEncoding = inputEncoding;
    }

    static DemoFormats start(DemoSettings settings, DemoKafka broker, PrintStream out)
    {
        if (settings.format() != OutputFormat.AVRO) {
            return new DemoFormats(Optional.empty(), Optional.empty(), ValueEncoding.json());
        }
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), Map.of(),
                new InetSocketAddress("127.0.0.1", settings.schemaRegistryPort()));
        try {
            SchemaRegistryClient client = SchemaRegistryClient.connect(SchemaRegistrySettings.of(registry.url().toString()));
            AvroValueEncoding encoding = AvroValueEncoding.register(client, AVRO_INPUTS);
            out.println("Schema registry (embedded, Confluent-compatible) at " + registry.url() + "; Avro input schemas registered: "
                    + encoding.schemaIds() + "; products and purchase_history stay JSON");
            return new DemoFormats(Optional.of(registry), Optional.of(client), encoding);
        }
        catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    ValueEncoding inputEncoding()
    {
        return inputEncoding;
    }

    NodeConfig.SchemaRegistrySettings registrySettings()
    {
        return new NodeConfig.SchemaRegistrySettings(registry.map(embedded -> embedded.url().toString()));
    }

    Function<byte[], String> outputRenderer()
    {
        return client.<Function<byte[], String>>map(AvroSampleRenderer::new).orElse(OutputLatencyProbe::utf8);
    }

    @Override
    public void close()
    {
        client.ifPresent(SchemaRegistryClient::close);
        registry.ifPresent(EmbeddedSchemaRegistry::close);
    }
}
