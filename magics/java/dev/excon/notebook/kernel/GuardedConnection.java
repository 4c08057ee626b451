package dev.excon.notebook.kernel;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The protocol connection, made robust against bad messages. The base library rejects a message whose HMAC signature
 * is wrong (it never reaches a handler), but the exception then ends the shell thread, and the kernel stops answering.
 * Here each shell and control loop logs the rejection and carries on. A loop whose context is being closed (a
 * shutdown) just stops: that is no error to log.
 */
final class GuardedConnection extends JupyterConnection {

    private final PrintStream log;
    private final CellThread cells;

    GuardedConnection(KernelConnectionProperties props, PrintStream log, CellThread cells)
            throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.log = log;
        this.cells = cells;
    }

    /** Reply environments whose sends an interrupt of the cell thread cannot break (see {@link CellThread#io}). */
    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel channel, MessageContext context) {
        return new GuardedEnvironment(channel, stdin, iopub, context, cells);
    }

    private static final class GuardedEnvironment extends ShellReplyEnvironment {
        private final CellThread cells;

        GuardedEnvironment(ShellChannel shell, StdinChannel stdin, JupyterSocket iopub, MessageContext context,
                CellThread cells) {
            super(shell, stdin, iopub, context);
            this.cells = cells;
        }

        @Override
        public void publish(Message<?> msg) {
            guarded(() -> super.publish(msg));
        }

        @Override
        public void reply(Message<?> msg) {
            guarded(() -> super.reply(msg));
        }

        private void guarded(Runnable send) {
            try {
                cells.io(() -> {
                    send.run();
                    return null;
                });
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** How long the shell and control loops sleep between polls (the base library's 50 ms adds 25 ms per request). */
    static final long POLL_PAUSE_MILLIS = 10;

    @Override
    public void connect() {
        shortenPause(shell);
        shortenPause(control);
        super.connect();
        keepAlive(shell, "shell");
        keepAlive(control, "control");
    }

    private void shortenPause(ShellChannel channel) {
        try {
            Field f = ShellChannel.class.getDeclaredField("sleep");
            f.setAccessible(true);
            f.setLong(channel, POLL_PAUSE_MILLIS);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another library version: keep its pause
        }
    }

    private void keepAlive(ShellChannel channel, String name) {
        try {
            Field f = ShellChannel.class.getDeclaredField("ioloop");
            f.setAccessible(true);
            Loop loop = (Loop) f.get(channel);
            if (loop != null) {
                loop.onError(t -> {
                    if (t instanceof ZMQException z && z.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
                        // The connection is closing (shutdown while a cell still ran): stop this loop, quietly.
                        return -1;
                    }
                    if (t instanceof SecurityException) {
                        log.println("excon kernel: rejected a message on the " + name + " channel: " + t.getMessage());
                    } else {
                        log.println("excon kernel: error on the " + name + " channel: " + t);
                    }
                    return POLL_PAUSE_MILLIS; // then the next message
                });
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.println("excon kernel: cannot guard the " + name + " channel (" + e + "); a bad message would stop it");
        }
    }
}
