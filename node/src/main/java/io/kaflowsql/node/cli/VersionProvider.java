package io.kaflowsql.node.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (set by the build), or "development". */
public final class VersionProvider
        implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        String version = KaflowSql.class.getPackage().getImplementationVersion();
        return new String[] {"kaflowsql " + (version == null ? "development" : version)};
    }
}
