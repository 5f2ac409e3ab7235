package io.tributary.bridge.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * SnakeYAML's parser, refusing lists and mappings nested deeper than {@link #MAX_DEPTH}. SnakeYAML's composer
 * recurses once per level and has no limit of its own, so a few kilobytes of {@code [[[[...} would otherwise
 * overflow the stack; no configuration comes near this depth.
 */
final class NestingLimitedParser implements Parser {
    static final int MAX_DEPTH = 50;

    private final Parser parser;
    private int depth;

    NestingLimitedParser(LoadSettings settings, String yaml) {
        this.parser = new ParserImpl(settings, new StreamReader(settings, yaml));
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event event = parser.next();
        switch (event.getEventId()) {
            case SequenceStart, MappingStart -> {
                if (++depth > MAX_DEPTH) {
                    throw new ComposerException("lists and mappings nested more than " + MAX_DEPTH + " levels deep",
                            event.getStartMark());
                }
            }
            case SequenceEnd, MappingEnd -> depth--;
            default -> {
            }
        }
        return event;
    }
}
