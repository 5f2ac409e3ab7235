package io.tributary.broker.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses (HTTP 403) a WebSocket upgrade whose {@code Origin} the listener does not allow. Browsers send the
 * page's origin with every WebSocket request and let any page open one to any address, loopback included;
 * without this, a page on any site could publish and subscribe through a visitor's browser. A request without
 * {@code Origin} does not come from a browser page and is let through. It stays in the pipeline, so that no
 * later request on the same HTTP connection skips it; WebSocket frames pass it untouched.
 */
final class OriginCheck extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OriginCheck.class);

    private final ListenerConfig listener;

    OriginCheck(ListenerConfig listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            if (origin != null && !listener.allowsOrigin(origin)) {
                log.debug("refused a WebSocket upgrade from {} on {}: origin {} is not allowed",
                        ctx.channel().remoteAddress(), listener.name(), LogSafe.text(origin));
                ReferenceCountUtil.release(request);
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                        HttpResponseStatus.FORBIDDEN);
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
