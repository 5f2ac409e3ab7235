package io.tributary.routes.http;

import io.tributary.bridge.mapping.MissingValueException;
import io.tributary.bridge.mapping.Template;
import io.tributary.routes.spi.MappingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A webhook's URL template. Each placeholder's value is percent-encoded as one path segment (everything but
 * letters, digits and {@code - . _ ~}, so a {@code /} or {@code ?} in a value cannot change the URL's shape);
 * the literal text is used as written.
 */
final class WebhookUrl {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Template template;

    private WebhookUrl(Template template) {
        this.template = template;
    }

    /**
     * Checks the template now: rendered with a value for every placeholder, it must be an absolute
     * {@code http} or {@code https} URL with a host that no placeholder is part of.
     *
     * @throws IllegalArgumentException saying what is wrong, without the URL (its path may hold a key)
     */
    static WebhookUrl of(Template template) {
        URI sample;
        try {
            sample = new URI(template.render(variable -> "x"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the webhook URL is not a valid URL: " + e.getReason());
        }
        String scheme = sample.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("the webhook URL must start with http:// or https://");
        }
        if (sample.getRawAuthority() == null) {
            throw new IllegalArgumentException("the webhook URL has no host");
        }
        if (!sample.getRawAuthority().equals(authorityOf(template.render(variable -> "y")))) {
            throw new IllegalArgumentException("a variable cannot be in the host or port of a webhook URL, so that "
                    + "no message can choose where it is sent: put variables in the path or query");
        }
        if (sample.getHost() == null) {
            // Such as my_service: java.net.URI, and with it the JDK's HTTP client, takes no '_' in a host name.
            String authority = sample.getRawAuthority();
            throw new IllegalArgumentException("the webhook URL's host '"
                    + authority.substring(authority.lastIndexOf('@') + 1)
                    + "' is not a host name the HTTP client accepts (letters, digits, '-' and '.', or an IP address)");
        }
        return new WebhookUrl(template);
    }

    private static String authorityOf(String url) {
        try {
            return new URI(url).getRawAuthority();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The URL for a message.
     *
     * @throws MappingException if a placeholder has no value or the result is not a URL
     */
    URI render(Function<String, String> values) {
        String text;
        try {
            text = template.render(name -> {
                String value = values.apply(name);
                return value == null ? null : encodeSegment(value);
            });
        } catch (MissingValueException e) {
            throw new MappingException("the message has no value for {" + e.variable() + "} in the webhook URL");
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new MappingException("the webhook URL rendered for the message is not valid: " + e.getReason());
        }
    }

    /** How a URL is named in errors and logs: scheme, host and port, never the path or query. */
    static String target(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /** Percent-encodes UTF-8 text as one path segment, keeping only RFC 3986's unreserved characters. */
    static String encodeSegment(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (isUnreserved(b)) {
                if (out != null) {
                    out.append((char) b);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(bytes.length * 3);
                    for (int j = 0; j < i; j++) {
                        out.append((char) bytes[j]);
                    }
                }
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0x0F]);
            }
        }
        return out == null ? value : out.toString();
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    @Override
    public String toString() {
        return "webhook URL";
    }
}
