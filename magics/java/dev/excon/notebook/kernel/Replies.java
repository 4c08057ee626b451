package dev.excon.notebook.kernel;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import java.util.ArrayList;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.InterruptReply;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/**
 * Replies the base library sends without the {@code status} field every reply has in the protocol (clients and
 * jupyter_kernel_test check it).
 */
final class Replies {

    private Replies() {}

    /** kernel_info_reply with status ok. */
    static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused") // serialised by Gson
        private final String status = "ok";

        KernelInfo(String protocolVersion, String implementation, String implementationVersion,
                LanguageInfo languageInfo, String banner, List<HelpLink> helpLinks) {
            super(protocolVersion, implementation, implementationVersion, languageInfo, banner, helpLinks);
        }
    }

    /**
     * history_reply with status ok, entries as the protocol's tuples ({@code [session, line, input]} or {@code
     * [session, line, [input, output]]}; the base library's serialiser writes them as objects).
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Message<?> history(Message<?> request, List<HistoryEntry> entries) {
        List<List<Object>> tuples = new ArrayList<>();
        for (HistoryEntry e : entries) {
            tuples.add(List.of(e.getSession(), e.getCellNumber(), e.hasOutput() ? List.of(e.getInput(), e.getOutput())
                    : e.getInput()));
        }
        return new Message(request, MessageType.HISTORY_REPLY, new History(tuples));
    }

    private static final class History {
        @SuppressWarnings("unused") // serialised by Gson
        private final String status = "ok";
        @SuppressWarnings("unused")
        private final List<List<Object>> history;

        History(List<List<Object>> history) {
            this.history = history;
        }
    }

    /** interrupt_reply with status ok. */
    static final class Interrupt extends InterruptReply {
        @SuppressWarnings("unused")
        private final String status = "ok";
    }
}
