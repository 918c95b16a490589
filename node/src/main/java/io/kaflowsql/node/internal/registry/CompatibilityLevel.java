package io.kaflowsql.node.internal.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * A subject's compatibility rule, with the meaning Confluent gives it: which earlier versions a new
 * schema is checked against ({@link #transitive}: all of them, otherwise only the latest) and in which
 * direction ({@link #backward}: the new schema must read data written with the old one;
 * {@link #forward}: the old schema must read data written with the new one).
 */
enum CompatibilityLevel
{
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    static final CompatibilityLevel DEFAULT = BACKWARD;
    static final String VALID_VALUES = "none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive";

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive)
    {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    boolean backward()
    {
        return backward;
    }

    boolean forward()
    {
        return forward;
    }

    boolean transitive()
    {
        return transitive;
    }

    /** The level named by {@code name} in any letter case, or empty when there is no such level. */
    static Optional<CompatibilityLevel> parse(String name)
    {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
