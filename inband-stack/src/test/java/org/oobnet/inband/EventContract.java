package org.oobnet.inband;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks a recorded event sequence against the contract of {@link KSocketCallbacks}: at most one connect outcome
 * per connect call, nothing about a connection before it is connected, each one-shot event once, both directions
 * ended before {@code DISCONNECTED}, nothing after {@code DISCONNECTED} but {@code ERROR}, no {@code NEWCONN} on a
 * connection.
 */
final class EventContract
{
    private EventContract()
    {
    }

    /**
     * Fails naming the first event that breaks the contract.
     *
     * @param calls       the recorded calls.
     * @param connectedAt whether the socket was connected from the start (accepted), so no outcome is due.
     */
    static void assertFollowed(final List<RecordingCallbacks.Call> calls, final boolean connectedAt)
    {
        boolean connected = connectedAt;
        boolean outcome = connectedAt;
        boolean cantRecv = false;
        boolean cantSend = false;
        boolean disconnected = false;
        for (int i = 0; i < calls.size(); i++)
        {
            final KSocketEvent event = calls.get(i).event();
            final String problem;
            switch (event)
            {
                case CONNECTED, CONNECTFAILED ->
                {
                    problem = outcome ? "a second connect outcome" : null;
                    outcome = true;
                    connected = KSocketEvent.CONNECTED == event;
                }
                case NEWDATA, OOBDATA, CANSEND ->
                    problem = !connected ? "before CONNECTED" : disconnected ? "after DISCONNECTED" : null;
                case CANTRECVMORE ->
                {
                    problem = !connected ? "before CONNECTED" : cantRecv ? "twice" : disconnected ? "after DISCONNECTED" : null;
                    cantRecv = true;
                }
                case CANTSENDMORE ->
                {
                    problem = !connected ? "before CONNECTED" : cantSend ? "twice" : disconnected ? "after DISCONNECTED" : null;
                    cantSend = true;
                }
                case DISCONNECTED ->
                {
                    problem = !connected ? "before CONNECTED" : disconnected ? "twice" :
                        !cantRecv || !cantSend ? "before CANTRECVMORE and CANTSENDMORE" : null;
                    disconnected = true;
                }
                case NEWCONN -> problem = "on a connection";
                default -> problem = null;
            }
            if (null != problem)
            {
                fail(event + " " + problem + " at index " + i + ": " + calls);
            }
        }
    }
}
