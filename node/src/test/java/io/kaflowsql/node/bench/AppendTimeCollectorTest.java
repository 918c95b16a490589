package io.kaflowsql.node.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AppendTimeCollectorTest
{
    @Test
    void theClickTimeIsReadFromTheOutputsTimestampField()
    {
        String value = "{\"event_id\":\"evt_0000000001\",\"user_id\":\"user_1\",\"timestamp\" : \"2026-11-25T09:30:00.125Z\",\"device\":\"mobile\"}";
        assertThat(AppendTimeCollector.clickTime(value.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Instant.parse("2026-11-25T09:30:00.125Z").toEpochMilli());
    }

    @Test
    void anOutputWithoutATimestampHasNoClickTime()
    {
        assertThat(AppendTimeCollector.clickTime("{\"event_id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(Long.MIN_VALUE);
        assertThat(AppendTimeCollector.clickTime(null)).isEqualTo(Long.MIN_VALUE);
    }
}
