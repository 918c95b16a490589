package io.kaflowsql.pipelines.benchmark;

import com.sun.management.OperatingSystemMXBean;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * CPU time of the benchmark's JVM per operation ({@code cpu.ns/op}), next to JMH's wall-clock score. Why: on a
 * machine shared with other builds the wall-clock time of an operation includes the time the thread waited for a
 * core, so it moves with the load; the CPU time it used does not (much). The figure is the whole JVM's CPU time
 * over the iteration divided by its operations, so it includes GC and any JIT work left after warm-up; the
 * benchmarks here are single-threaded.
 *
 * <p>Use: {@code -prof io.kaflowsql.pipelines.benchmark.CpuTimeProfiler}. JMH calls it on its own runner thread.
 */
public final class CpuTimeProfiler
        implements InternalProfiler
{
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription()
    {
        return "JVM CPU time per operation (ns)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams)
    {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result)
    {
        long cpu = os.getProcessCpuTime() - cpuAtStart;
        long operations = result.getMetadata().getAllOps();
        return List.of(new ScalarResult("cpu.ns/op", operations == 0 ? Double.NaN : (double) cpu / operations, "ns/op", AggregationPolicy.AVG));
    }
}
