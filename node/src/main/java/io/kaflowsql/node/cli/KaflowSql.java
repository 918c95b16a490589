package io.kaflowsql.node.cli;

import io.kaflowsql.node.internal.broker.BrokerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kaflowsql} command line: {@code demo}, {@code node}, {@code validate}, {@code broker},
 * {@code load-test}, {@code generate}, {@code admin}.
 */
@Command(name = "kaflowsql",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Streaming-SQL enrichment for Kafka: one YAML pipeline, exactly the joins you write.",
        subcommands = {
                DemoCommand.class,
                NodeCommand.class,
                ValidateCommand.class,
                BrokerCommand.class,
                LoadTestCommand.class,
                GenerateCommand.class,
                AdminCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class KaflowSql
{
    public static void main(String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine()
    {
        return new CommandLine(new KaflowSql()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
