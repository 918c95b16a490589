package io.kaflowsql.docs;

import io.kaflowsql.node.cli.AdminCommand;
import io.kaflowsql.node.cli.KaflowSql;
import io.kaflowsql.node.config.NodeConfigLoader;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The real {@code kaflowsql} command tree: parsing a documented command line, and running it in this JVM. */
final class Cli
{
    /** What a run printed and returned. */
    record Run(int code, String out, String err) {}

    private Cli() {}

    /** The names of the (sub)commands a command line selects, e.g. {@code [admin, drain]}; fails on anything unknown. */
    static List<String> parse(List<String> args)
    {
        CommandLine.ParseResult result = KaflowSql.commandLine().parseArgs(args.toArray(String[]::new));
        List<String> path = new ArrayList<>();
        for (CommandLine.ParseResult sub = result.subcommand(); sub != null; sub = sub.subcommand()) {
            path.add(sub.commandSpec().name());
        }
        return path;
    }

    /** Runs a command line in this JVM (the working directory is the repository root), the admin token in the environment. */
    static Run run(List<String> args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = KaflowSql.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        ((AdminCommand) commandLine.getSubcommands().get("admin").getCommand()).useEnvironment(Map.of(NodeConfigLoader.ADMIN_TOKEN, LiveNode.TOKEN));
        int code = commandLine.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** Expands {@code *} in arguments against the repository (as the shell would), sorted. */
    static List<String> expandGlobs(List<String> args)
    {
        List<String> expanded = new ArrayList<>();
        for (String arg : args) {
            if (!arg.contains("*")) {
                expanded.add(arg);
                continue;
            }
            Path dir = Repository.file(arg.substring(0, arg.lastIndexOf('/')));
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + arg.substring(arg.lastIndexOf('/') + 1));
            try (Stream<Path> files = Files.list(dir)) {
                List<String> matches = files.filter(file -> matcher.matches(file.getFileName())).map(Repository::relative).sorted().toList();
                if (matches.isEmpty()) {
                    throw new AssertionError("nothing matches " + arg);
                }
                expanded.addAll(matches);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return expanded;
    }
}
