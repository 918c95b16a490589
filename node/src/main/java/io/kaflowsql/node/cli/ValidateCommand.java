package io.kaflowsql.node.cli;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.config.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kaflowsql validate FILE...}: compiles pipelines and prints their plans or their errors. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Compile pipeline files and print the plan (sources, roles, join keys, columns read, output columns) or the errors.")
public final class ValidateCommand
        implements Callable<Integer>
{
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline YAML files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PipelineLoader loader = new PipelineLoader();
        int invalid = 0;
        for (Path file : files) {
            try {
                CompiledPipeline pipeline = loader.load(file);
                out.println(file + ": OK");
                out.print(pipeline.describe());
            }
            catch (ConfigurationException e) {
                invalid++;
                err.println(file + ": INVALID");
                e.problems().forEach(problem -> err.println("  " + problem));
            }
            catch (UncheckedIOException e) {
                invalid++;
                err.println(e.getMessage());
            }
        }
        out.flush();
        err.flush();
        return invalid == 0 ? 0 : 1;
    }
}
