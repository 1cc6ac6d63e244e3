package org.oobnet.core;

import org.oobnet.inband.KSocketEvent;
import org.oobnet.inband.KSocketCallbacks;

/**
 * Delivers an OOB socket's stage events to inband-stack's {@link KSocketCallbacks}, so one callbacks object serves
 * regular sockets (on the in-band event thread) and OOB sockets (on the stage) alike.
 * <p>
 * <b>Note:</b> stage only; the callbacks run on the stage thread and must not block nor allocate.
 */
final class KSocketCallbacksBridge implements OobEventHandler
{
    private final KSocketCallbacks callbacks;

    KSocketCallbacksBridge(final KSocketCallbacks callbacks)
    {
        this.callbacks = callbacks;
    }

    @Override
    public void onEvent(final OobSocket socket, final KSocketEvent event, final long arg, final Object cookie)
    {
        switch (event)
        {
            case CONNECTED -> callbacks.onConnected(socket.ksocket(), cookie, arg);
            case CONNECTFAILED -> callbacks.onConnectFailed(socket.ksocket(), cookie, arg);
            case DISCONNECTED -> callbacks.onDisconnected(socket.ksocket(), cookie, arg);
            case OOBDATA -> callbacks.onOobData(socket.ksocket(), cookie, arg);
            case NEWDATA -> callbacks.onNewData(socket.ksocket(), cookie, arg);
            case NEWCONN -> callbacks.onNewConn(socket.ksocket(), cookie, arg);
            case CANSEND -> callbacks.onCanSend(socket.ksocket(), cookie, arg);
            case CANTSENDMORE -> callbacks.onCantSendMore(socket.ksocket(), cookie, arg);
            case CANTRECVMORE -> callbacks.onCantRecvMore(socket.ksocket(), cookie, arg);
            case ERROR -> callbacks.onError(socket.ksocket(), cookie, arg);
        }
    }
}
