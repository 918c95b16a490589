package io.kaflowsql.node.internal.catalog;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.node.internal.admin.PipelineCatalog;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The pipeline catalog kept in Kafka ({@link CatalogLog}), as changed by the admin API on the node that accepts
 * changes (the leader; the admin layer forwards writes there). Each change is checked against the entries this node
 * has read (and its pipeline files), written, then awaited until this node applied it (read-your-writes: when the
 * call returns, a deployed pipeline runs here, a deleted one is closed here).
 *
 * <p>Deploy of an existing name replaces it (a new revision; the pipeline keeps its paused or running state); deploy
 * or delete of a name one of this node's files defines is refused; pause and resume of a file pipeline are kept as a
 * catalog entry with its state and no YAML.
 *
 * <p>Thread-safe: changes are serialized (each reads the current entry, then writes the next revision).
 */
public final class KafkaPipelineCatalog
        implements PipelineCatalog
{
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);

    private final CatalogLog log;
    private final PipelineSet pipelines;
    private final Clock clock;

    public KafkaPipelineCatalog(CatalogLog log, PipelineSet pipelines, Clock clock)
    {
        this.log = requireNonNull(log, "log is null");
        this.pipelines = requireNonNull(pipelines, "pipelines is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public synchronized String deploy(CompiledPipeline pipeline, String yaml)
    {
        String name = pipeline.name();
        requireLoaded("deploy " + name);
        if (pipelines.isFile(name)) {
            throw Status.FAILED_PRECONDITION.withDescription("cannot deploy pipeline " + name + ": a pipeline file of the nodes defines it ("
                    + pipelines.fileOrigin() + "); change that file and restart the nodes, or deploy under another name").asRuntimeException();
        }
        Optional<CatalogEntry> current = log.entry(name);
        CatalogEntry.State state = current.map(CatalogEntry::state).orElse(CatalogEntry.State.RUNNING);
        CatalogEntry next = CatalogEntry.deployed(name, yaml, state, current.map(entry -> entry.revision() + 1).orElse(1L), clock.instant());
        String applied = writeAndAwait(name, () -> log.write(next));
        String what = current.isPresent() ? "replaced pipeline " + name : "deployed pipeline " + name;
        return what + " (catalog revision " + next.revision() + (state == CatalogEntry.State.PAUSED ? ", paused: resume it to run" : "") + ")" + applied;
    }

    @Override
    public synchronized String pause(String pipeline)
    {
        return changeState(pipeline, CatalogEntry.State.PAUSED);
    }

    @Override
    public synchronized String resume(String pipeline)
    {
        return changeState(pipeline, CatalogEntry.State.RUNNING);
    }

    @Override
    public synchronized String delete(String pipeline)
    {
        requireLoaded("delete " + pipeline);
        if (pipelines.isFile(pipeline)) {
            throw Status.FAILED_PRECONDITION.withDescription("cannot delete pipeline " + pipeline + ": a pipeline file of the nodes defines it ("
                    + pipelines.fileOrigin() + "); remove that file and restart the nodes (or pause the pipeline)").asRuntimeException();
        }
        CatalogEntry current = log.entry(pipeline).filter(entry -> entry.yaml().isPresent()).orElseThrow(() -> notFound(pipeline));
        String applied = writeAndAwait(pipeline, () -> log.delete(pipeline));
        return "deleted pipeline " + pipeline + " (was catalog revision " + current.revision() + "): every node closes it" + applied;
    }

    private String changeState(String pipeline, CatalogEntry.State state)
    {
        String verb = state == CatalogEntry.State.PAUSED ? "pause" : "resume";
        requireLoaded(verb + " " + pipeline);
        Optional<CatalogEntry> current = log.entry(pipeline);
        boolean file = pipelines.isFile(pipeline);
        if (!file && current.flatMap(CatalogEntry::yaml).isEmpty()) {
            throw notFound(pipeline);
        }
        CatalogEntry.State now = current.map(CatalogEntry::state).orElse(CatalogEntry.State.RUNNING);
        if (now == state) {
            return "pipeline " + pipeline + " is " + (state == CatalogEntry.State.PAUSED ? "paused" : "running") + " already";
        }
        CatalogEntry next = current.map(entry -> entry.withState(state, clock.instant()))
                .orElseGet(() -> CatalogEntry.stateOnly(pipeline, state, 1, clock.instant()));
        String applied = writeAndAwait(pipeline, () -> log.write(next));
        return (state == CatalogEntry.State.PAUSED ? "paused pipeline " : "resumed pipeline ") + pipeline + " (catalog revision " + next.revision()
                + "): every node running its tasks " + (state == CatalogEntry.State.PAUSED ? "stops reading its inputs" : "reads on from where it stopped")
                + applied;
    }

    private void requireLoaded(String what)
    {
        try {
            if (!log.awaitCaughtUp(LOAD_TIMEOUT)) {
                throw Status.UNAVAILABLE.withDescription("cannot " + what + ": this node has not read the pipeline catalog (topic " + log.topic()
                        + ") yet; is Kafka reachable? Retry").asRuntimeException();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
    }

    /** Writes, then waits until this node applied the record; "" when it did, else a note for the operator. */
    private String writeAndAwait(String pipeline, LongSupplier write)
    {
        long offset;
        try {
            offset = write.getAsLong();
        }
        catch (CatalogUnavailableException e) {
            throw Status.UNAVAILABLE.withDescription("the change of pipeline " + pipeline + " was not made: " + e.getMessage() + "; retry")
                    .withCause(e).asRuntimeException();
        }
        try {
            return log.awaitApplied(offset, APPLY_TIMEOUT) ? "" : "; not applied on this node within " + APPLY_TIMEOUT.toSeconds() + " s yet (see its log)";
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted after writing the change of " + pipeline).asRuntimeException();
        }
    }

    private StatusRuntimeException notFound(String pipeline)
    {
        Set<String> known = new TreeSet<>(pipelines.names());
        log.entries().forEach((name, entry) -> entry.yaml().ifPresent(ignored -> known.add(name)));
        return Status.NOT_FOUND.withDescription("no pipeline '" + pipeline + "' in the catalog or the pipeline files; known pipelines: " + known
                + " (see `kaflowsql admin pipelines`)").asRuntimeException();
    }
}
