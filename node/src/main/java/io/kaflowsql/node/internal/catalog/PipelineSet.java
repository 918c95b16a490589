package io.kaflowsql.node.internal.catalog;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The pipelines this node runs, by name: the "file" pipelines it was started with (they always run) and the
 * "catalog" pipelines deployed through the admin API, which it follows as the {@link CatalogLog.Listener}: a new
 * entry compiles and starts a runtime; a changed YAML closes the old runtime (commits, releases its tasks) and starts
 * the new one; a tombstone closes and drops it; the entry's state pauses or resumes the runtime (for a file pipeline
 * too: the catalog then holds only its state).
 *
 * <p>Runtimes start once {@link #startAll} said how (standalone: {@code start()}; clustered: in cluster mode, with
 * the membership learning about them); a pipeline added before that starts with the others.
 *
 * <p>Thread-safe: the map is guarded by this; changes come from the catalog's reader thread (one at a time), and a
 * runtime is closed outside the lock, so readers (admin views, the cluster coordinator) never wait for a close.
 */
public final class PipelineSet
        implements AutoCloseable, CatalogLog.Listener
{
    private static final Logger log = LoggerFactory.getLogger(PipelineSet.class);

    /** Where a pipeline comes from. */
    public enum Source
    {
        FILE, CATALOG
    }

    private record Deployed(PipelineRuntime runtime, Source source, Optional<String> yaml) {}

    private final Function<CompiledPipeline, PipelineRuntime> factory;
    private final String fileOrigin;
    private final Set<String> fileNames;
    private final Map<String, Deployed> deployed = new TreeMap<>();
    private Consumer<PipelineRuntime> starter;
    private Runnable onChange = () -> {};
    private boolean closed;

    /**
     * Creates (does not start) a runtime for every file pipeline.
     *
     * @param fileOrigin where the file pipelines come from, for messages (e.g. {@code pipelines.dir /etc/kaflowsql})
     */
    public PipelineSet(List<CompiledPipeline> files, String fileOrigin, Function<CompiledPipeline, PipelineRuntime> factory)
    {
        this.factory = requireNonNull(factory, "factory is null");
        this.fileOrigin = requireNonNull(fileOrigin, "fileOrigin is null");
        Set<String> names = new TreeSet<>();
        try {
            for (CompiledPipeline pipeline : files) {
                names.add(pipeline.name());
                deployed.put(pipeline.name(), new Deployed(factory.apply(pipeline), Source.FILE, Optional.empty()));
            }
        }
        catch (RuntimeException e) {
            deployed.values().forEach(each -> each.runtime().close());
            throw e;
        }
        this.fileNames = Set.copyOf(names);
    }

    /** Starts every runtime with {@code starter}, and every later one; {@code onChange} runs after each later addition or removal. */
    public void startAll(Consumer<PipelineRuntime> starter, Runnable onChange)
    {
        List<PipelineRuntime> present;
        synchronized (this) {
            if (this.starter != null) {
                throw new IllegalStateException("the pipelines were started already");
            }
            this.starter = requireNonNull(starter, "starter is null");
            this.onChange = requireNonNull(onChange, "onChange is null");
            present = runtimes();
            present.forEach(starter);
        }
    }

    /** Every runtime, ordered by pipeline name (a snapshot). */
    public synchronized List<PipelineRuntime> runtimes()
    {
        return deployed.values().stream().map(Deployed::runtime).toList();
    }

    /** The runtimes by pipeline name (a snapshot). */
    public synchronized Map<String, PipelineRuntime> byName()
    {
        Map<String, PipelineRuntime> byName = new TreeMap<>();
        deployed.forEach((name, each) -> byName.put(name, each.runtime()));
        return byName;
    }

    public synchronized Optional<PipelineRuntime> runtime(String name)
    {
        return Optional.ofNullable(deployed.get(name)).map(Deployed::runtime);
    }

    public synchronized Optional<Source> source(String name)
    {
        return Optional.ofNullable(deployed.get(name)).map(Deployed::source);
    }

    public synchronized Set<String> names()
    {
        return new TreeSet<>(deployed.keySet());
    }

    /** True when one of this node's pipeline files defines {@code name}. */
    public boolean isFile(String name)
    {
        return fileNames.contains(name);
    }

    public String fileOrigin()
    {
        return fileOrigin;
    }

    @Override
    public void changed(String name, Optional<CatalogEntry> entry)
    {
        if (isFile(name)) {
            if (entry.flatMap(CatalogEntry::yaml).isPresent()) {
                log.warn("The catalog deploys pipeline {}, but a file of this node defines it ({}): the file's pipeline runs here", name, fileOrigin);
            }
            runtime(name).ifPresent(runtime -> follow(runtime, name, entry.map(CatalogEntry::paused).orElse(false)));
            return;
        }
        Optional<Deployed> current;
        synchronized (this) {
            current = Optional.ofNullable(deployed.get(name));
        }
        if (entry.isEmpty()) {
            current.ifPresent(old -> remove(name, old, "deleted from the catalog"));
            return;
        }
        CatalogEntry change = entry.get();
        if (change.yaml().isEmpty() || (current.isPresent() && current.get().yaml().equals(change.yaml()))) {
            // same pipeline (or the state of a file pipeline another node defines): only its state may have changed
            current.ifPresent(same -> follow(same.runtime(), name, change.paused()));
            return;
        }
        Optional<CompiledPipeline> compiled = compile(change);
        if (compiled.isEmpty()) {
            return;
        }
        current.ifPresent(old -> remove(name, old, "replaced by catalog revision " + change.revision()));
        add(compiled.get(), change);
    }

    private Optional<CompiledPipeline> compile(CatalogEntry entry)
    {
        try {
            CompiledPipeline pipeline = new PipelineLoader().load(entry.yaml().orElseThrow(), "catalog:" + entry.name());
            if (!pipeline.name().equals(entry.name())) {
                log.error("Catalog entry {} (revision {}) defines pipeline {}: ignored", entry.name(), entry.revision(), pipeline.name());
                return Optional.empty();
            }
            return Optional.of(pipeline);
        }
        catch (ConfigurationException e) {
            log.error("Pipeline {} (catalog revision {}) does not compile on this node, which keeps what it ran before:\n{}", entry.name(),
                    entry.revision(), e.getMessage());
            return Optional.empty();
        }
    }

    private void add(CompiledPipeline pipeline, CatalogEntry entry)
    {
        PipelineRuntime runtime = factory.apply(pipeline);
        if (entry.paused()) {
            runtime.pause();
        }
        Consumer<PipelineRuntime> start;
        Runnable changed;
        synchronized (this) {
            if (closed) {
                runtime.close();
                return;
            }
            deployed.put(pipeline.name(), new Deployed(runtime, Source.CATALOG, entry.yaml()));
            start = starter;
            changed = onChange;
        }
        if (start != null) {
            start.accept(runtime);
        }
        changed.run();
        log.info("Pipeline {} deployed from the catalog (revision {}{})", pipeline.name(), entry.revision(), entry.paused() ? ", paused" : "");
    }

    private void remove(String name, Deployed old, String why)
    {
        Runnable changed;
        synchronized (this) {
            if (deployed.get(name) != old) {
                return;
            }
            deployed.remove(name);
            changed = onChange;
        }
        old.runtime().close();
        changed.run();
        log.info("Pipeline {} {}: its runtime committed and closed", name, why);
    }

    private static void follow(PipelineRuntime runtime, String name, boolean paused)
    {
        if (paused == runtime.pauseRequested()) {
            return;
        }
        if (paused) {
            runtime.pause();
        }
        else {
            runtime.resume();
        }
        log.info("Pipeline {} {} by the catalog", name, paused ? "paused" : "resumed");
    }

    /** Closes every runtime (each commits and closes its state); later catalog changes are ignored. */
    @Override
    public void close()
    {
        List<PipelineRuntime> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(runtimes());
        }
        all.forEach(PipelineRuntime::close);
    }
}
