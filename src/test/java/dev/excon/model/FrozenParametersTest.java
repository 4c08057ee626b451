package dev.excon.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.excon.data.ChannelStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrozenParametersTest {

    @Test
    void freezesEveryParameterAndRestoresEachOwnState() {
        try (ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.FASHION_MNIST)
                .setImageSize(28).setNumClasses(10).optDevice(Device.cpu()).build()) {
            List<Parameter> ps = net.trainableParameters();
            ps.get(0).freeze(true); // already frozen before: must stay frozen
            try (FrozenParameters f = FrozenParameters.freeze(ps)) {
                assertTrue(ps.stream().noneMatch(Parameter::requiresGradient), "all frozen inside");
            }
            assertFalse(ps.get(0).requiresGradient(), "the one frozen before stays frozen");
            assertEquals(ps.size() - 1, ps.stream().filter(Parameter::requiresGradient).count(),
                    "the others are trainable again");
        }
    }
}
