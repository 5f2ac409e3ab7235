package io.tributary.broker.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Answers 404 to an HTTP request the WebSocket handler did not take (another path, or no upgrade), and
 * closes: such a client would otherwise wait for the CONNECT timeout.
 */
@ChannelHandler.Sharable
final class HttpNotFoundHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final HttpNotFoundHandler INSTANCE = new HttpNotFoundHandler();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.NOT_FOUND);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
