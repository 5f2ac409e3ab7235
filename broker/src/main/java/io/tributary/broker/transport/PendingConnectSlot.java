package io.tributary.broker.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tributary.broker.admission.ConnectionGate;

/**
 * Holds a connection's place among those that have not sent CONNECT ({@code max-pending-connections}) and
 * gives it back, once, when the first packet is decoded (whatever it is: anything but CONNECT closes the
 * connection) or when the connection closes before that. It then leaves the pipeline.
 *
 * <p>Concurrency: touched only on the channel's event loop.
 */
final class PendingConnectSlot extends ChannelInboundHandlerAdapter {
    private final ConnectionGate gate;
    private boolean released;

    PendingConnectSlot(ConnectionGate gate) {
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        release();
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (!released) {
            released = true;
            gate.connectReceived();
        }
    }
}
