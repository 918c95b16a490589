package io.kaflowsql.coordinator.transfer;

/**
 * A state transfer from a peer failed: the peer is unreachable, the stream broke more often than the
 * client retries, or a file arrived damaged twice. The message names the peer, the set and the file.
 * Retriable as a whole: a later attempt resumes from the files already received.
 */
public class StateTransferException
        extends RuntimeException
{
    public StateTransferException(String message)
    {
        super(message);
    }

    public StateTransferException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
