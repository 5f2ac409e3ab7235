package io.tributary.it.kafka;

import io.tributary.testsupport.kafka.KafkaServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The Kafka fixture itself: the evidence that tests built on it talk to a real broker that survives kill -9. */
class KafkaServerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void recordProducedToTheSharedKafkaIsConsumedBack() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String topic = KafkaServer.uniqueTopic("sanity");
        kafka.createTopic(topic, 1);

        KafkaTestClients.produce(kafka.bootstrapServers(), topic, "d1", "21.5");

        List<ConsumerRecord<String, String>> records = KafkaTestClients.consume(kafka.bootstrapServers(), topic, 1, WAIT);
        assertEquals(1, records.size());
        assertEquals("d1", records.get(0).key());
        assertEquals("21.5", records.get(0).value());
    }

    @Test
    void acknowledgedRecordSurvivesKillDashNineAndRestartOnTheSamePort() throws Exception {
        try (KafkaServer kafka = KafkaServer.startDedicated("kill-restart")) {
            String topic = KafkaServer.uniqueTopic("survivor");
            kafka.createTopic(topic, 1);
            KafkaTestClients.produce(kafka.bootstrapServers(), topic, "d2", "acked-before-kill");
            long killedPid = kafka.pid();

            kafka.kill();
            assertFalse(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false));
            kafka.start();

            assertNotEquals(killedPid, kafka.pid());
            List<ConsumerRecord<String, String>> records = KafkaTestClients.consume(kafka.bootstrapServers(), topic, 1, WAIT);
            assertEquals(List.of("acked-before-kill"), records.stream().map(ConsumerRecord::value).toList());
        }
    }
}
