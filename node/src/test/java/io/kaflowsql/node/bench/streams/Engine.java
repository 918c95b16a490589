package io.kaflowsql.node.bench.streams;

/** The two engines the comparison runs, with a label for reports and a short name for topics and groups. */
enum Engine
{
    KAFLOWSQL("KaflowSQL", "kfs"),
    STREAMS("Kafka Streams", "kst");

    private final String label;
    private final String shortName;

    Engine(String label, String shortName)
    {
        this.label = label;
        this.shortName = shortName;
    }

    String label()
    {
        return label;
    }

    String shortName()
    {
        return shortName;
    }
}
