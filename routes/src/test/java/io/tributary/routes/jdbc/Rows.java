package io.tributary.routes.jdbc;

import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSink.ColumnType;
import io.tributary.bridge.mapping.Template;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;

/** Test helpers: columns, and exchanges whose headers are the template variables. */
final class Rows {

    /** The template variables of an exchange: its headers. */
    static final Function<Exchange, Function<String, String>> HEADERS =
            exchange -> name -> exchange.getIn().getHeader(name, String.class);

    private Rows() {
    }

    static RouteSink.Column column(String name, String template, ColumnType type) {
        return new RouteSink.Column(name, Template.parse(template), type);
    }

    /**
     * Hands an exchange with these headers to {@code sink}; the future completes with the exchange when the
     * sink completed it (its exception set if it failed).
     */
    static CompletableFuture<Exchange> send(CamelContext context, AsyncProcessor sink, Map<String, String> headers) {
        ServiceHelper.startService(sink); // as its route would: a sink's writer starts with it
        Exchange exchange = new DefaultExchange(context);
        headers.forEach(exchange.getIn()::setHeader);
        CompletableFuture<Exchange> done = new CompletableFuture<>();
        sink.process(exchange, doneSync -> done.complete(exchange));
        return done;
    }
}
