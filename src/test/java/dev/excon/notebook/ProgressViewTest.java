package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.Provenance;
import dev.excon.train.EpochResult;
import dev.excon.train.Method;
import dev.excon.train.StepEvent;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live training display: progress, sparklines, figures, final state; and LiveProgress outside a notebook. */
class ProgressViewTest {

    private static final TrainConfig CONFIG = TrainConfig.preset("quick").toBuilder().epochs(2).build();

    private static StepEvent step(StepEvent.Phase phase, int epoch, int step, int steps, float loss, double acc) {
        return new StepEvent(phase, epoch, 2, step, steps, loss, 0.1f, acc, 0, 812.4, Duration.ofSeconds(75));
    }

    private static EpochResult epoch(int e, double val, boolean best) {
        return new EpochResult(e, 4.0, 1.0, val, val - 0.02, 0.63, 0, 0.1f, 10, best);
    }

    @Test
    void progressFollowsPhasesAndEpochs() {
        ProgressView v = new ProgressView();
        v.start(CONFIG, 1);
        assertEquals(0, v.fraction(), 1e-9);
        v.step(step(StepEvent.Phase.ENCODER, 1, 25, 50, 5f, Double.NaN));
        assertEquals(0.5 * ProgressView.ENCODER_SHARE / 2, v.fraction(), 1e-9);
        v.step(step(StepEvent.Phase.CLASSIFIER, 1, 50, 50, 1f, Double.NaN));
        assertEquals(0.5, v.fraction(), 1e-9);
        v.epoch(epoch(1, 0.5, true));
        assertEquals(0.5, v.fraction(), 1e-9);
        v.step(step(StepEvent.Phase.ENCODER, 2, 10, 50, 4f, 0.63));
        String html = v.html();
        assertTrue(html.contains("epoch 2/2 \u00b7 encoder step 10/50"), html);
        assertTrue(html.contains("loss <b>4.0000</b>"), html);
        assertTrue(html.contains("<polyline"), "loss sparkline: " + html);
        assertTrue(html.contains("val <b>50.0%</b> test <b>48.0%</b>"), html);
        assertTrue(html.contains("masks accepted <b>63.0%</b>"), html);
        assertTrue(html.contains("812 img/s") && html.contains("ETA 1:15"), html);
        assertFalse(html.contains("<script"), "static HTML only");
        String text = v.text();
        assertTrue(text.contains("loss 4.0000") && text.contains("ETA 1:15") && text.contains("["), text);
    }

    @Test
    void theFinalStateSaysDoneAndTheBestEpoch() {
        ProgressView v = new ProgressView();
        v.start(CONFIG, 1);
        v.step(step(StepEvent.Phase.ENCODER, 1, 1, 1, 3f, Double.NaN));
        v.epoch(epoch(1, 0.40, true));
        v.epoch(epoch(2, 0.35, false));
        List<EpochResult> history = List.of(epoch(1, 0.40, true), epoch(2, 0.35, false));
        v.end(new TrainingResult(CONFIG, history, 1, Provenance.of("c", 1, "d", "f", "cpu"), null));
        assertEquals(1, v.fraction(), 1e-9);
        String html = v.html();
        assertTrue(html.contains("done in") && html.contains("best epoch 1: val 40.0% test 38.0%"), html);
        assertFalse(html.contains("ETA"), "no time left once done: " + html);
        assertTrue(html.contains("#55a868"), "finished colour");
    }

    @Test
    void sparklinesAreBoundedAndSkipNaN() {
        List<Double> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(Math.sin(i / 100.0));
        }
        assertEquals(120, ProgressView.downsample(many).size());
        String svg = ProgressView.sparkline(List.of(1.0, Double.NaN, 3.0), "#000");
        assertEquals(2, svg.split(",").length - 1, "two points: " + svg);
        assertEquals("0:05", ProgressView.clock(5));
        assertEquals("1:01:01", ProgressView.clock(3661));
    }

    @Test
    void outsideANotebookLiveProgressPrintsEpochLines() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            LiveProgress p = Notebook.progress();
            p.onStart(CONFIG.toBuilder().method(Method.SUPCON).build(), 1, 10);
            for (int i = 1; i <= 10; i++) {
                p.onStep(step(StepEvent.Phase.ENCODER, 1, i, 10, 5f - i * 0.1f, Double.NaN));
            }
            p.onEpoch(epoch(1, 0.3, true));
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, printed.lines().count(), "one line per epoch, none per step: " + printed);
        assertTrue(printed.contains("SUPCON") && printed.contains("val 30.0%"), printed);
    }
}
