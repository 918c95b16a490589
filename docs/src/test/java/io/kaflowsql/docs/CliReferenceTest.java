package io.kaflowsql.docs;

import io.kaflowsql.node.cli.KaflowSql;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reference/cli.md against the real command tree, both ways: the commands, every option and argument of every
 * command and admin subcommand (help and version options, which every command has, aside), and the admin exit codes.
 */
class CliReferenceTest
{
    private static final String PAGE = "docs/reference/cli.md";
    private static final String PREFIX = "kaflowsql ";
    private static final Pattern OPTION = Pattern.compile("--?[A-Za-z][\\w-]*");
    private static final Pattern ARGUMENT = Pattern.compile("[A-Z][A-Z_]*(?:\\.\\.\\.)?");

    @Test
    void theCommandTableListsEveryCommand()
    {
        Set<String> documented = new TreeSet<>();
        for (List<String> row : ReferenceTables.under(PAGE, "CLI reference").get(0).rows()) {
            documented.add(ReferenceTables.codes(row.get(0)).get(0).split(" ")[0]);
        }

        assertThat(documented).isEqualTo(KaflowSql.commandLine().getSubcommands().keySet());
    }

    @Test
    void everyCommandHasASectionWithEveryOptionAndArgument()
    {
        Map<String, Set<String>> documented = new TreeMap<>();
        for (MarkdownPage.Heading heading : Docs.page(PAGE).headings()) {
            if (heading.level() == 2 && heading.text().startsWith(PREFIX)) {
                String command = heading.text().substring(PREFIX.length());
                Set<String> items = new TreeSet<>();
                Docs.page(PAGE).tables().stream().filter(table -> table.heading().equals(heading.text()))
                        .forEach(table -> table.rows().forEach(row -> items.addAll(items(row.get(0)))));
                documented.put(command, items);
            }
        }
        Map<String, Set<String>> actual = new TreeMap<>();
        KaflowSql.commandLine().getSubcommands().forEach((name, command) -> {
            if (!name.equals("help")) {
                actual.put(name, items(command.getCommandSpec()));
            }
        });

        assertThat(documented).isEqualTo(actual);
    }

    @Test
    void theAdminCommandTableHasEverySubcommandWithItsOptionsAndArguments()
    {
        Map<String, Set<String>> documented = new TreeMap<>();
        for (List<String> row : ReferenceTables.under(PAGE, "Commands").get(0).rows()) {
            String synopsis = ReferenceTables.codes(row.get(0)).get(0);
            String name = synopsis.split(" ")[0];
            documented.put(name, items("`" + synopsis.substring(name.length()) + "`"));
        }
        Map<String, Set<String>> actual = new TreeMap<>();
        KaflowSql.commandLine().getSubcommands().get("admin").getSubcommands().forEach((name, command) -> actual.put(name, items(command.getCommandSpec())));

        assertThat(documented).isEqualTo(actual);
    }

    @Test
    void theAdminExitCodesAreTheCommandsOwn()
    {
        Set<String> documented = new TreeSet<>();
        ReferenceTables.under(PAGE, "Exit codes").get(0).rows().forEach(row -> documented.add(row.get(0)));
        Set<String> declared = new TreeSet<>(KaflowSql.commandLine().getSubcommands().get("admin").getCommandSpec().usageMessage().exitCodeList().keySet()
                .stream().map(String::trim).toList());

        assertThat(documented).isEqualTo(declared);
    }

    /** Options and argument labels named in the code spans of a table cell; an upper-case word after an option is its value. */
    private static Set<String> items(String cell)
    {
        Set<String> items = new TreeSet<>();
        for (String code : ReferenceTables.codes(cell)) {
            boolean afterOption = false;
            for (String word : code.replaceAll("[\\[\\],]", " ").trim().split("\\s+")) {
                if (OPTION.matcher(word).matches()) {
                    items.add(word);
                    afterOption = true;
                }
                else if (ARGUMENT.matcher(word).matches() && !afterOption) {
                    items.add(word.replace("...", ""));
                }
                else {
                    afterOption = false;
                }
            }
        }
        return items;
    }

    /** Every option name (help and version aside) and positional argument label of a command. */
    private static Set<String> items(CommandSpec spec)
    {
        Set<String> items = new TreeSet<>();
        spec.options().stream().filter(option -> !option.usageHelp() && !option.versionHelp()).forEach(option -> items.addAll(List.of(option.names())));
        spec.positionalParameters().forEach(parameter -> items.add(parameter.paramLabel().replace("...", "")));
        return items;
    }

    @Test
    void cellItemsAreReadAsExpected()
    {
        assertThat(items("`--rate`, `--events-per-second R`")).containsExactly("--events-per-second", "--rate");
        assertThat(items("` [NODE] [--wait SECONDS]`")).containsExactly("--wait", "NODE");
        assertThat(items("`FILE...`")).containsExactly("FILE");
    }
}
