package dev.excon.notebook;

/**
 * A handle on an output shown with {@link Notebook#display(Object)}: {@link #update(Object)} replaces it in place.
 * Returned as a cell's last value it shows nothing (the display itself is the output).
 */
public final class Display {

    private final String id;

    Display(String id) {
        this.id = id;
    }

    /** The Jupyter display id. */
    public String id() {
        return id;
    }

    /** Replaces the displayed output with {@code value}, rendered as a cell result would be. */
    public void update(Object value) {
        Notebook.updateDisplay(this, value);
    }

    @Override
    public String toString() {
        return "display " + id;
    }
}
