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
import io.tributary.broker.logging.LogSafe;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses (HTTP 403) a WebSocket upgrade whose {@code Origin} the listener does not allow. Browsers send the
 * page's origin with every WebSocket request and let any page open one to any address, loopback included;
 * without this, a page on any site could publish and subscribe through a visitor's browser. A request without
 * {@code Origin} does not come from a browser page and is let through.
 *
 * <p>Netty-based clients (the HiveMQ client among them) send an {@code Origin} naming the broker's own address,
 * as in {@code http://127.0.0.1:8083} with {@code Host: 127.0.0.1:8083}. No page can have that origin, as the
 * listener serves no page, so an origin equal to the {@code Host} is let through, but only when that host is an
 * IP address or {@code localhost}: with a name, the page of a site whose name an attacker re-pointed at the broker
 * (DNS rebinding) would pass too. Such a client connecting by name needs its origin listed.
 *
 * <p>The check stays in the pipeline, so that no later request on the same HTTP connection skips it; WebSocket
 * frames pass it untouched.
 */
final class OriginCheck extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OriginCheck.class);
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final ListenerConfig listener;

    OriginCheck(ListenerConfig listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            if (origin != null && !listener.allowsOrigin(origin)
                    && !isOwnAddress(origin, request.headers().get(HttpHeaderNames.HOST))) {
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

    /** Whether {@code origin} is {@code http(s)://HOST} where HOST is the request's, an IP address or localhost. */
    static boolean isOwnAddress(String origin, String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        String authority = lower.startsWith("http://") ? origin.substring(7)
                : lower.startsWith("https://") ? origin.substring(8) : null;
        if (authority == null || !authority.equalsIgnoreCase(host)) {
            return false;
        }
        if (host.startsWith("[")) {
            return true; // an IPv6 literal
        }
        int colon = host.lastIndexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        return IPV4.matcher(name).matches() || name.equalsIgnoreCase("localhost");
    }
}
