package dev.excon;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Applies the ExCon runtime defaults (offline, telemetry off, threads) before any test touches DJL. */
public class TestRuntimeListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ExconRuntime.init();
    }
}
