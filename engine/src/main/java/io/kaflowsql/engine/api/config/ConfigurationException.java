package io.kaflowsql.engine.api.config;

import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** A user's file is invalid. Carries every problem found, each with file, line, column and key. */
public final class ConfigurationException
        extends RuntimeException
{
    private final List<ConfigProblem> problems;

    public ConfigurationException(List<ConfigProblem> problems)
    {
        super(render(problems));
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration error has at least one problem");
        }
    }

    public ConfigurationException(ConfigProblem problem)
    {
        this(List.of(requireNonNull(problem, "problem is null")));
    }

    public List<ConfigProblem> problems()
    {
        return problems;
    }

    private static String render(List<ConfigProblem> problems)
    {
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
