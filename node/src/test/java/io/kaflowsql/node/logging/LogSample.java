package io.kaflowsql.node.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A process that logs one line per level and one exception, for {@link LogFormatTest}. */
public final class LogSample
{
    private static final Logger log = LoggerFactory.getLogger(LogSample.class);

    private LogSample() {}

    public static void main(String[] args)
    {
        log.debug("debug line");
        log.info("info line with \"quotes\" and ünïcode");
        log.warn("warn line", new IllegalStateException("boom"));
    }
}
