package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ParametersTest {

    @AfterEach
    void reset() {
        Parameters.setOverrides(null);
    }

    @Test
    void defaultsApplyUnlessTheCommandLineOverrides() {
        Parameters.setOverrides("epochs=1; device = cpu\nsmoke=yes");
        assertEquals("paper-cifar100", Notebook.param("preset", "paper-cifar100"));
        assertEquals(1, Notebook.param("epochs", 200));
        assertEquals("cpu", Notebook.param("device", "auto"));
        assertTrue(Notebook.param("smoke", false));
        assertEquals(0.5, Notebook.param("lr", 0.5));
        assertEquals(7L, Notebook.param("seed", 7L));
        Table t = Notebook.parameters();
        assertEquals(6, t.rowCount());
        assertEquals("default", t.stringColumn("from").get(0));
        assertEquals("command line", t.stringColumn("from").get(1));
        assertEquals("1", t.stringColumn("value").get(1));
    }

    @Test
    void aTypoOnTheCommandLineIsReportedWithTheKnownNames() {
        Parameters.setOverrides("epoch=1");
        assertEquals(200, Notebook.param("epochs", 200));
        ParameterException e = assertThrows(ParameterException.class, Notebook::parameters);
        assertTrue(e.getMessage().contains("[epoch]") && e.getMessage().contains("[epochs]"), e.getMessage());
    }

    @Test
    void badValuesNameTheParameterAndAnExample() {
        Parameters.setOverrides("epochs=two;smoke=maybe;lr=fast");
        ParameterException e = assertThrows(ParameterException.class, () -> Notebook.param("epochs", 3));
        assertEquals("parameter epochs=two is not an integer (e.g. epochs=3)", e.getMessage());
        assertEquals("parameter smoke=maybe is not true or false (e.g. smoke=false)",
                assertThrows(ParameterException.class, () -> Notebook.param("smoke", false)).getMessage());
        assertTrue(assertThrows(ParameterException.class, () -> Notebook.param("lr", 0.1)).getMessage()
                .contains("lr=fast"));
    }

    @Test
    void parsingRejectsPairsWithoutAName() {
        assertEquals(Map.of("a", "x=y", "b", ""), Parameters.parse("a=x=y;;b="));
        assertTrue(Parameters.parse(null).isEmpty());
        ParameterException e = assertThrows(ParameterException.class, () -> Parameters.parse("epochs"));
        assertTrue(e.getMessage().contains("'epochs' is not name=value"), e.getMessage());
        assertFalse(assertThrows(ParameterException.class, () -> Parameters.parse("=3")).getMessage().isEmpty());
    }

    @Test
    void deviceParametersNameTheChoices() {
        try {
            assertEquals(ai.djl.Device.cpu(), Notebook.useDevice("cpu"));
            assertEquals(dev.excon.ExconRuntime.defaultDevice(), Notebook.useDevice("auto"));
            ParameterException e = assertThrows(ParameterException.class, () -> Notebook.useDevice("tpu"));
            assertTrue(e.getMessage().contains("auto, cpu, gpu or gpu:N"), e.getMessage());
            if (ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
                e = assertThrows(ParameterException.class, () -> Notebook.useDevice("gpu"));
                assertTrue(e.getMessage().contains("sees 0 GPUs") && e.getMessage().contains("device=cpu"),
                        e.getMessage());
            }
        } finally {
            Notebook.setDevice(null);
        }
    }
}
