package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PhaseProgressTest {

    @Test
    void aLogGetsOneLinePerPhase() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PhaseProgress p = new PhaseProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.accept("run: accuracy");
        p.accept("run: FGSM");
        p.endLine();
        p.done();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, String.join("|", lines));
        assertTrue(lines[0].matches("\\[0:00:0\\d] 1\\. run: accuracy"), lines[0]);
        assertTrue(lines[1].endsWith("2. run: FGSM"), lines[1]);
        assertTrue(lines[2].startsWith("evaluated in 0:00:0") && lines[2].endsWith("(2 phases)"), lines[2]);
        assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("\r"), "no carriage returns in a log");
    }

    @Test
    void aTerminalGetsOneRedrawnLineCutToItsWidth() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PhaseProgress p = new PhaseProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.accept("run: accuracy");
        p.accept("run: " + "x".repeat(300));
        p.endLine(); // e.g. an error follows: it gets a line of its own, the last phase stays visible
        p.endLine(); // only once
        String s = bytes.toString(StandardCharsets.UTF_8);
        String[] draws = s.split("\r");
        assertEquals(3, draws.length, s); // "", first phase, second phase + newline
        assertTrue(draws[2].endsWith("...\n") || draws[2].stripTrailing().endsWith("..."), draws[2]);
        assertTrue(draws[2].length() <= 111, "one terminal row: " + draws[2].length());
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), s);
    }
}
