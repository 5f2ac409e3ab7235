package io.tributary.bench.cli;

import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.load.Scenario;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The load options of the broker scenarios, shared by {@code compare} and {@code drive}. */
final class BrokerLoadOptions {

    @Option(names = "--quick", description = "1 s warm-up, 3 s measured, the four main scenarios") boolean quick;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
            description = "fan-in-qos0,fan-in-qos1,fan-out-qos0,fan-out-qos1,fan-in-qos0-paced,fan-out-qos0-paced")
    List<String> scenarios;

    @Option(names = "--mqtt", defaultValue = "3", paramLabel = "3|5", description = "MQTT 3.1.1 or 5.0") int mqtt;
    @Option(names = "--warmup", paramLabel = "S", description = "default 3 (quick: 1)") Integer warmup;
    @Option(names = "--duration", paramLabel = "S", description = "default 10 (quick: 3)") Integer duration;
    @Option(names = "--drain", paramLabel = "S", description = "default 20 (quick: 10)") Integer drain;
    @Option(names = "--payload", paramLabel = "BYTES", description = "default 64") Integer payload;

    @Option(names = "--inflight", paramLabel = "N", description = "publishes outstanding per publisher, default 64")
    Integer inflight;

    @Option(names = "--qos0-rate", paramLabel = "N", description = "msg/s per publisher in the unpaced QoS 0 "
            + "scenarios, default 0 (unpaced)")
    Integer qos0Rate;

    @Option(names = "--client-threads", paramLabel = "N", description = "Netty threads of the driver's clients, "
            + "0 = library default; default 1")
    Integer clientThreads;

    LoadSettings settings() {
        LoadSettings base = quick ? LoadSettings.quick(mqtt) : LoadSettings.standard(mqtt);
        return new LoadSettings(mqtt,
                seconds(warmup, base.warmUp()), seconds(duration, base.measure()), seconds(drain, base.drainTimeout()),
                or(payload, base.payloadBytes()), or(inflight, base.inFlight()),
                or(qos0Rate, base.qos0RatePerPublisher()), or(clientThreads, base.clientIoThreads()));
    }

    List<Scenario> scenarios() {
        if (scenarios == null) {
            return quick ? Scenario.MAIN : Scenario.ALL;
        }
        return Choices.pick(scenarios, Scenario.ALL, Scenario::name, "scenario");
    }

    static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    static Duration seconds(Integer value, Duration fallback) {
        return value == null ? fallback : Duration.ofSeconds(value);
    }
}
