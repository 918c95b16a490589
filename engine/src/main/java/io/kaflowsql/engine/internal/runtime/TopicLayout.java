package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * Checks the topics a pipeline reads and prepares the one it writes: every partitioned topic (driving
 * stream and event tables) must exist with the same partition count, because task p reads partition p
 * of each; a missing output topic is created with that count.
 */
final class TopicLayout
{
    private TopicLayout() {}

    /** Missing topics (empty when all exist). */
    static List<String> missingInputs(Admin admin, CompiledPipeline pipeline)
            throws InterruptedException
    {
        List<String> missing = new ArrayList<>();
        List<String> inputs = new ArrayList<>(pipeline.partitionedTopics());
        inputs.addAll(pipeline.dimensionTopics());
        for (String topic : inputs) {
            if (describe(admin, topic).isEmpty()) {
                missing.add(topic);
            }
        }
        return missing;
    }

    /** The common partition count of the partitioned topics; a mismatch is a clear error. */
    static int partitionCount(Admin admin, CompiledPipeline pipeline)
            throws InterruptedException
    {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : pipeline.partitionedTopics()) {
            counts.put(topic, describe(admin, topic).orElseThrow(() -> new IllegalStateException("topic " + topic + " does not exist"))
                    .partitions().size());
        }
        if (counts.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("pipeline " + pipeline.name() + ": the driving stream and event tables must have the same "
                    + "partition count (task p joins partition p of each), but they have " + counts
                    + ". Recreate or repartition the topics so the counts match.");
        }
        return counts.values().iterator().next();
    }

    static void ensureOutputTopic(Admin admin, String topic, int partitions)
            throws InterruptedException
    {
        if (describe(admin, topic).isPresent()) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get();
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create output topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic)
            throws InterruptedException
    {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
