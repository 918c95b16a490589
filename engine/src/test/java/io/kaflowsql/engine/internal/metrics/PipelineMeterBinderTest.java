package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.SourceInfo;
import io.kaflowsql.engine.api.SourceRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.kaflowsql.engine.internal.metrics.PipelineMeterBinder.sourceTag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PipelineMeterBinderTest
{
    private static final List<SourceInfo> SOURCES = List.of(
            source(0, "clicks", "c", SourceRole.DRIVING),
            source(1, "users", "u", SourceRole.DIMENSION),
            source(2, "orders", "o", SourceRole.EVENT_TABLE));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(SOURCES);

    @Test
    void countersFollowThePipelineMetrics()
    {
        PipelineMeterBinder.bind(registry, "enrich", metrics);
        metrics.recordIn(0);
        metrics.recordIn(0);
        metrics.recordIn(2);
        metrics.emitted();
        metrics.filtered();
        metrics.held();
        metrics.held();
        metrics.released();
        metrics.expiredHeld(false);
        metrics.expiredHeld(true);
        metrics.expiredHeld(true);
        metrics.expiredRows(7);
        metrics.committed();
        metrics.aborted();
        metrics.fenced();
        metrics.checkpointed();
        metrics.restored(40, 4_000, 12);

        assertThat(counter(PipelineMeterBinder.RECORDS_IN, "source", "clicks")).isEqualTo(2);
        assertThat(counter(PipelineMeterBinder.RECORDS_IN, "source", "users")).isZero();
        assertThat(counter(PipelineMeterBinder.RECORDS_IN, "source", "orders")).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.RECORDS_OUT)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.RECORDS_FILTERED)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.RECORDS_HELD)).isEqualTo(2);
        assertThat(counter(PipelineMeterBinder.RECORDS_RELEASED)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.HELD_EXPIRED, "outcome", "dropped")).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.HELD_EXPIRED, "outcome", "emitted")).isEqualTo(2);
        assertThat(counter(PipelineMeterBinder.EVENT_ROWS_EXPIRED)).isEqualTo(7);
        assertThat(counter(PipelineMeterBinder.COMMITS)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.ABORTS)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.FENCED_TASKS)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.CHECKPOINTS)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.RESTORES)).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.RESTORED_RECORDS)).isEqualTo(40);
        assertThat(counter(PipelineMeterBinder.RESTORED_BYTES)).isEqualTo(4_000);

        metrics.emitted();
        assertThat(counter(PipelineMeterBinder.RECORDS_OUT)).as("read when scraped, not copied at bind time").isEqualTo(2);
    }

    @Test
    void deadLettersAreCountedPerReason()
    {
        PipelineMeterBinder.bind(registry, "enrich", metrics);
        metrics.rejected(RejectReason.UNDECODABLE);
        metrics.rejected(RejectReason.UNDECODABLE);
        metrics.rejected(RejectReason.MISSING_KEY);

        assertThat(counter(PipelineMeterBinder.DEAD_LETTERS, "reason", "undecodable")).isEqualTo(2);
        assertThat(counter(PipelineMeterBinder.DEAD_LETTERS, "reason", "missing-key")).isEqualTo(1);
        assertThat(counter(PipelineMeterBinder.DEAD_LETTERS, "reason", "record-too-large")).isZero();
        assertThat(registry.find(PipelineMeterBinder.DEAD_LETTERS).functionCounters()).hasSize(RejectReason.values().length);
    }

    @Test
    void joinHitRateIsNaNBeforeAnyLookupThenTheShareOfHitsPerJoinedSource()
    {
        PipelineMeterBinder.bind(registry, "enrich", metrics);

        assertThat(hitRate("users")).isNaN();
        assertThat(registry.find(PipelineMeterBinder.JOIN_HIT_RATE).tag("source", "clicks").gauge()).as("the driving stream is not joined").isNull();

        metrics.lookup(1, true);
        metrics.lookup(1, true);
        metrics.lookup(1, false);
        metrics.lookup(1, true);
        metrics.lookup(2, false);

        assertThat(hitRate("users")).isCloseTo(0.75, within(1e-9));
        assertThat(hitRate("orders")).isZero();
        assertThat(counter(PipelineMeterBinder.JOIN_LOOKUPS, "source", "users")).isEqualTo(4);
        assertThat(counter(PipelineMeterBinder.JOIN_HITS, "source", "users")).isEqualTo(3);
    }

    @Test
    void hitRateIsFindableUnderItsDocumentedName()
    {
        assertThat(PipelineMeterBinder.JOIN_HIT_RATE).contains("join_hit_rate");
    }

    @Test
    void closeRemovesEveryMeterOfThePipeline()
    {
        PipelineMeterBinder other = PipelineMeterBinder.bind(registry, "other", metrics);
        PipelineMeterBinder binder = PipelineMeterBinder.bind(registry, "enrich", metrics);
        assertThat(registry.find(PipelineMeterBinder.RECORDS_OUT).tag("pipeline", "enrich").meters()).hasSize(1);

        binder.close();

        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTag("pipeline")).isEqualTo("other"));
        assertThat(registry.getMeters()).hasSize(other.meters().size());
    }

    @Test
    void sourceTagIsTheTopicUnlessTheTopicFeedsSeveralSources()
    {
        List<SourceInfo> selfJoin = List.of(source(0, "clicks", "c", SourceRole.DRIVING), source(1, "users", "buyer", SourceRole.DIMENSION),
                source(2, "users", "seller", SourceRole.DIMENSION));

        assertThat(sourceTag(SOURCES, 1)).isEqualTo("users");
        assertThat(sourceTag(selfJoin, 0)).isEqualTo("clicks");
        assertThat(sourceTag(selfJoin, 1)).isEqualTo("users.buyer");
        assertThat(sourceTag(selfJoin, 2)).isEqualTo("users.seller");
    }

    private double counter(String name, String... tags)
    {
        return registry.get(name).tag("pipeline", "enrich").tags(tags).functionCounter().count();
    }

    private double hitRate(String source)
    {
        return registry.get(PipelineMeterBinder.JOIN_HIT_RATE).tags("pipeline", "enrich", "source", source).gauge().value();
    }

    private static SourceInfo source(int index, String topic, String alias, SourceRole role)
    {
        Optional<Duration> ttl = role == SourceRole.DIMENSION ? Optional.empty() : Optional.of(Duration.ofHours(1));
        Optional<String> joinOn = role == SourceRole.DRIVING ? Optional.empty() : Optional.of("c.user_id = " + alias + ".user_id");
        return new SourceInfo(index, topic, alias, role, joinOn, ttl, List.of("user_id"));
    }
}
