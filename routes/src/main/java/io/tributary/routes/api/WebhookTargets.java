package io.tributary.routes.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where webhooks registered through the API may send messages. Anyone holding an API token can register one, so
 * by default it may not reach this machine or the private network Tributary sits in (loopback, link-local such as
 * a cloud's metadata service at 169.254.169.254, private IPv4 ranges, IPv6 unique-local addresses): otherwise a
 * token would open a door into that network. Webhooks of the configuration file are the operator's own and are not
 * checked.
 *
 * <p>The host is checked when the webhook is registered and again before each request, so that a name that later
 * resolves to a private address is refused too. The HTTP client resolves the name once more to connect, so a DNS
 * server that changes its answer within that moment could still get past the check.
 */
final class WebhookTargets {

    private final boolean allowPrivate;

    /** @param allowPrivate whether private addresses are allowed: {@code http-api.allow-private-webhook-targets} */
    WebhookTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why a webhook may not send to {@code url}'s host; empty when it may. */
    Optional<String> refusal(URI url) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = url.getHost();
        if (host == null) {
            return Optional.of("the webhook URL has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("the webhook's host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("the webhook's host " + host + " is a loopback, link-local or private address ("
                        + address.getHostAddress() + "); webhooks registered through the API may only reach public "
                        + "addresses unless http-api.allow-private-webhook-targets is true");
            }
        }
        return Optional.empty();
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xFE) == 0xFC; // fc00::/7, unique local
        }
        // 100.64.0.0/10, shared address space (carrier-grade NAT), and 0.0.0.0/8.
        return ((bytes[0] & 0xFF) == 100 && (bytes[1] & 0xC0) == 64) || bytes[0] == 0;
    }
}
