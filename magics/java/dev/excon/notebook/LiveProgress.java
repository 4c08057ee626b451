package dev.excon.notebook;

import dev.excon.train.EpochResult;
import dev.excon.train.StepEvent;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingListener;
import dev.excon.train.TrainingResult;

/**
 * A training run's live display in a notebook: {@code trainer.addListener(Notebook.progress())}. It appears when
 * {@code fit()} starts, in the cell that runs it, and is replaced in place (at most five times a second, and after
 * every epoch) with a progress bar, the loss and accuracy sparklines, the masks' acceptance rate, images per second
 * and the time left. What the notebook keeps, and what an exported notebook shows, is the last state.
 *
 * <p>Outside a notebook it prints one line per epoch and one at the end.
 */
public final class LiveProgress implements TrainingListener {

    /** Minimum time between two step updates. */
    static final long MIN_INTERVAL_NANOS = 200_000_000L;

    private final ProgressView view = new ProgressView();
    private Display display;
    private long lastUpdate;

    /** The state this listener shows. */
    public ProgressView view() {
        return view;
    }

    @Override
    public void onStart(TrainConfig config, int firstEpoch, int batchesPerEpoch) {
        view.start(config, firstEpoch);
        display = Notebook.kernel() != null ? Notebook.display(view.render()) : null;
        lastUpdate = System.nanoTime();
    }

    /** What the start repaired in the run directory, as a line of the cell's output. */
    @Override
    public void onNote(String note) {
        System.out.println("note: " + note);
    }

    @Override
    public void onStep(StepEvent event) {
        view.step(event);
        long now = System.nanoTime();
        if (display != null && now - lastUpdate >= MIN_INTERVAL_NANOS) {
            lastUpdate = now;
            display.update(view.render());
        }
    }

    @Override
    public void onEpoch(EpochResult result) {
        view.epoch(result);
        show();
    }

    @Override
    public void onEnd(TrainingResult result) {
        view.end(result);
        show();
    }

    private void show() {
        lastUpdate = System.nanoTime();
        if (display != null) {
            display.update(view.render());
        } else {
            System.out.println(view.text());
        }
    }
}
