package io.kaflowsql.node.internal.demo;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * An existing Kafka cluster given by its bootstrap servers. Topics the run needs are created with the
 * brokers' default replication factor; a topic that already exists is used as it is and said so, since
 * its records (and its partition count) become part of the run.
 */
final class ExternalKafka
        implements DemoKafka
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Admin admin;
    private final PrintStream out;

    private ExternalKafka(String bootstrapServers, Admin admin, PrintStream out)
    {
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
        this.out = out;
    }

    /** Connects and checks the cluster answers, so a wrong address fails here with a clear message. */
    static ExternalKafka connect(String bootstrapServers, PrintStream out)
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        try {
            admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException e) {
            admin.close(Duration.ZERO);
            throw new IllegalStateException("cannot reach the Kafka cluster at " + bootstrapServers + " (--bootstrap) within " + TIMEOUT.toSeconds() + " s", e);
        }
        catch (InterruptedException e) {
            admin.close(Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrapServers, e);
        }
        return new ExternalKafka(bootstrapServers, admin, requireNonNull(out, "out is null"));
    }

    @Override
    public String bootstrapServers()
    {
        return bootstrapServers;
    }

    @Override
    public String kind()
    {
        return "external";
    }

    @Override
    public boolean isEmbedded()
    {
        return false;
    }

    @Override
    public void createTopics(Map<String, Integer> partitions, Map<String, String> configs)
    {
        List<NewTopic> topics = new ArrayList<>();
        partitions.forEach((name, count) -> topics.add(new NewTopic(name, Optional.of(count), Optional.empty()).configs(Map.copyOf(configs))));
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + " on " + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                }
                out.println("Topic " + name + " already exists on " + bootstrapServers + ": used as it is (its records are part of this run)");
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
            catch (TimeoutException e) {
                throw new IllegalStateException("timed out creating topic " + name + " on " + bootstrapServers, e);
            }
        });
    }

    @Override
    public void close()
    {
        admin.close(Duration.ofSeconds(5));
    }
}
