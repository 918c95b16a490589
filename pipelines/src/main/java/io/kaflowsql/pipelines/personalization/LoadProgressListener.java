package io.kaflowsql.pipelines.personalization;

/**
 * Told how a dimension load is going; called on the loading thread, so it must be quick.
 */
@FunctionalInterface
public interface LoadProgressListener
{
    LoadProgressListener NONE = (topic, sent, total) -> {};

    /**
     * @param topic the topic being loaded
     * @param sent records of that topic handed to the producer so far
     * @param total records that topic will get
     */
    void onProgress(String topic, long sent, long total);
}
