package io.kaflowsql.protocol;

/**
 * Version of the wire contracts this build speaks. The protobuf services (admin API, node-to-node
 * state transfer) arrive with the cluster issues; nodes of adjacent versions must interoperate.
 */
public final class ProtocolVersion
{
    /** Bumped on every incompatible change of a persisted or wire format. */
    public static final int CURRENT = 1;

    private ProtocolVersion() {}
}
