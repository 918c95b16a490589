package io.kaflowsql.node.cli;

import io.kaflowsql.pipelines.personalization.DimensionCounts;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.TrafficClock;
import io.kaflowsql.pipelines.personalization.TrafficMix;
import io.kaflowsql.pipelines.personalization.TrafficProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code kaflowsql generate}: writes personalization data (profiles, products, purchase history and
 * optionally clicks) to an existing Kafka cluster, creating the topics if needed. For trying a node
 * against real topics and for the memory measurement.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write generated personalization data to Kafka (topics are created if missing).")
public final class GenerateCommand
        implements Callable<Integer>
{
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--users", defaultValue = "1000", description = "User profiles (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--products", defaultValue = "500", description = "Products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of topics created here (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--clicks-per-second", defaultValue = "0", description = "After the dimensions, produce clicks at this rate (default: none).")
    double clicksPerSecond;

    @Option(names = "--duration", defaultValue = "60", description = "Seconds of clicks (default ${DEFAULT-VALUE}).")
    int seconds;

    @Override
    public Integer call()
            throws Exception
    {
        createTopics();
        Clock clock = Clock.systemUTC();
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(users).withProducts(products)
                .withPurchaseHistoryShare(0.926).withStartEpochMillis(clock.millis()));
        try (TrafficProducer traffic = TrafficProducer.connect(bootstrapServers, dataset, TrafficMix.DEFAULT, TrafficClock.system(clock))) {
            DimensionCounts counts = traffic.loadDimensions(Math.max(10_000, users / 20),
                    (topic, sent, total) -> System.out.println("  " + topic + ": " + sent + "/" + total));
            System.out.println("Wrote " + counts.userProfiles() + " user profiles, " + counts.products() + " products, "
                    + counts.purchaseHistory() + " purchase histories");
            if (clicksPerSecond > 0) {
                traffic.runClicks(clicksPerSecond, Duration.ofSeconds(seconds), () -> false);
                System.out.println("Wrote " + traffic.counts().clicks() + " clicks");
            }
            return traffic.recordsFailed() == 0 ? 0 : 1;
        }
    }

    private void createTopics()
            throws InterruptedException
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (String topic : List.of(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.USER_PROFILES, PersonalizationTopics.PRODUCTS,
                    PersonalizationTopics.PURCHASE_HISTORY)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                }
                catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        }
    }
}
