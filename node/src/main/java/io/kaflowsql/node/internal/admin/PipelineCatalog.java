package io.kaflowsql.node.internal.admin;

import io.kaflowsql.engine.api.CompiledPipeline;

/**
 * The durable catalog of the cluster's pipelines: the admin API's deploy, pause, resume and delete go through it,
 * and every owner of the pipeline's tasks follows it. Implementations are thread-safe.
 *
 * <p>Each method returns a message for the operator, or throws {@link io.grpc.StatusRuntimeException} with the
 * status the admin API answers ({@code NOT_FOUND}, {@code FAILED_PRECONDITION}, ...).
 *
 * <p>Implementations: {@code KafkaPipelineCatalog} (the catalog topic, changed on the leader) behind
 * {@code LeaderCatalog} (which forwards the changes asked of any other node to the leader).
 */
public interface PipelineCatalog
{
    /** Adds or replaces {@code pipeline} (already compiled: a bad one never reaches the catalog). */
    String deploy(CompiledPipeline pipeline, String yaml);

    String pause(String pipeline);

    String resume(String pipeline);

    String delete(String pipeline);
}
